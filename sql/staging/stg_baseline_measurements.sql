-- baseline_measurements of the latest version of each trial (made from its document by sql/documents/baseline_measurements.sql).
select child.* exclude (record_id, run_id)
from raw.baseline_measurements as child
join stg_trials using (record_id)
