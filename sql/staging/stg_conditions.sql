-- Conditions of the latest version of each trial.
select child.nct_id, child.condition
from raw.conditions as child
join stg_trials using (record_id)
