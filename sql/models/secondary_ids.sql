select nct_id, secondary_id, id_type, domain
from stg_secondary_ids
