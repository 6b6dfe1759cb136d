-- Other names of each intervention (brand names, codes), one row per name.
select nct_id, intervention_type, intervention_name, other_name
from stg_intervention_other_names
