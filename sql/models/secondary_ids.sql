-- Other ids of each trial: grant numbers, other registries' ids, sponsors' codes.
select nct_id, secondary_id, id_type, domain
from stg_secondary_ids
