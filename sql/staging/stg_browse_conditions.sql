-- Browse conditions of the latest version of each trial.
select child.nct_id, child.mesh_term, child.mesh_id, child.mesh_type
from raw.browse_conditions as child
join stg_trials using (record_id)
