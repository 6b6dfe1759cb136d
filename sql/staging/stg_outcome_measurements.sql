-- outcome_measurements of the latest version of each trial (made from its document by sql/documents/outcome_measurements.sql).
select child.* exclude (record_id, run_id)
from raw.outcome_measurements as child
join stg_trials using (record_id)
