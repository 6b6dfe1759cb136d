-- The conditions or diseases each trial studies, as the sponsor wrote them.
select nct_id, condition
from stg_conditions
