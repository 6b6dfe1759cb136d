-- Condition mesh terms of the latest version of each trial.
select child.nct_id, child.mesh_id, child.mesh_term
from raw.condition_mesh_terms as child
join stg_trials using (record_id)
