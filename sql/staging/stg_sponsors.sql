-- Sponsors of the latest version of each trial.
select child.nct_id, child.name, child.agency_class, child.role
from raw.sponsors as child
join stg_trials using (record_id)
