-- Interventions of the latest version of each trial.
select child.nct_id, child.intervention_type, child.name, child.description
from raw.interventions as child
join stg_trials using (record_id)
