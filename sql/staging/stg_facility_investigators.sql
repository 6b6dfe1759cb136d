-- Facility investigators of the latest version of each trial.
select child.nct_id, child.site_id, child.name, child.role
from raw.facility_investigators as child
join stg_trials using (record_id)
