select nct_id, label, arm_type, description
from stg_arm_groups
