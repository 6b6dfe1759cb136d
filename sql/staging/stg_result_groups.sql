-- result_groups of the latest version of each trial (made from its document by sql/documents/result_groups.sql).
select child.* exclude (record_id, run_id)
from raw.result_groups as child
join stg_trials using (record_id)
