-- The arms (groups of participants) of each trial's design.
select nct_id, label, arm_type, description
from stg_arm_groups
