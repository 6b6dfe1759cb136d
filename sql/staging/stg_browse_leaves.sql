-- Browse leaves of the latest version of each trial.
select child.nct_id, child.browse_type, child.mesh_id, child.mesh_term, child.as_found, child.relevance
from raw.browse_leaves as child
join stg_trials using (record_id)
