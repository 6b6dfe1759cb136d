-- The interventions (drugs, devices, procedures ...) each trial tests.
select nct_id, intervention_type, name, description
from stg_interventions
