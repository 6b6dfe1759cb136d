select nct_id, condition
from stg_conditions
