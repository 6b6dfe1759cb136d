-- Secondary ids of the latest version of each trial.
select child.nct_id, child.secondary_id, child.id_type, child.domain
from raw.secondary_ids as child
join stg_trials using (record_id)
