-- Design group interventions of the latest version of each trial.
select child.nct_id, child.arm_group_label, child.intervention_type, child.intervention_name
from raw.design_group_interventions as child
join stg_trials using (record_id)
