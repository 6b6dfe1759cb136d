-- Pending results of the latest version of each trial.
select child.nct_id, child.event, child.event_date_description, child.event_date
from raw.pending_results as child
join stg_trials using (record_id)
