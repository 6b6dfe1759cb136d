-- Countries, conditions, interventions and ids of the latest version of each registry record.
select v.record_id, v.field, v.value, v.code
from raw.registry_values as v
semi join stg_registry_records using (record_id)
