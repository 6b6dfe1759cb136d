-- Keywords of the latest version of each trial.
select child.nct_id, child.keyword
from raw.keywords as child
join stg_trials using (record_id)
