-- result_outcomes of the latest version of each trial (made from its document by sql/documents/result_outcomes.sql).
select child.* exclude (record_id, run_id)
from raw.result_outcomes as child
join stg_trials using (record_id)
