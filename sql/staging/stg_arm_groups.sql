-- Arm groups of the latest version of each trial.
select child.nct_id, child.label, child.arm_type, child.description
from raw.arm_groups as child
join stg_trials using (record_id)
