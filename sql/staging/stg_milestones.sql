-- milestones of the latest version of each trial (made from its document by sql/documents/milestones.sql).
select child.* exclude (record_id, run_id)
from raw.milestones as child
join stg_trials using (record_id)
