-- Which intervention each arm receives: one row per arm group label an intervention names.
select nct_id, arm_group_label, intervention_type, intervention_name
from stg_design_group_interventions
