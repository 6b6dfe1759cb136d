select nct_id, intervention_type, name, description
from stg_interventions
