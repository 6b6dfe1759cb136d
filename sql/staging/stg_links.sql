-- Links of the latest version of each trial.
select child.nct_id, child.url, child.description
from raw.links as child
join stg_trials using (record_id)
