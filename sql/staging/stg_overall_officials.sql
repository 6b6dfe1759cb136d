-- Overall officials of the latest version of each trial.
select child.nct_id, child.name, child.role, child.affiliation
from raw.overall_officials as child
join stg_trials using (record_id)
