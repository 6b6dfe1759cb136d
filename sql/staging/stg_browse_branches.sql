-- Browse branches of the latest version of each trial.
select child.nct_id, child.browse_type, child.abbrev, child.name
from raw.browse_branches as child
join stg_trials using (record_id)
