-- outcome_analyses of the latest version of each trial (made from its document by sql/documents/outcome_analyses.sql).
select child.* exclude (record_id, run_id)
from raw.outcome_analyses as child
join stg_trials using (record_id)
