-- Ipd information types of the latest version of each trial.
select child.nct_id, child.name
from raw.ipd_information_types as child
join stg_trials using (record_id)
