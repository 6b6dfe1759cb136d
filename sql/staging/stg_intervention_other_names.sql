-- Intervention other names of the latest version of each trial.
select child.nct_id, child.intervention_type, child.intervention_name, child.other_name
from raw.intervention_other_names as child
join stg_trials using (record_id)
