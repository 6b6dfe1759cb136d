-- Outcomes of the latest version of each trial.
select child.nct_id, child.kind, child.measure, child.time_frame, child.description
from raw.outcomes as child
join stg_trials using (record_id)
