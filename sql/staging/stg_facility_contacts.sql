-- Facility contacts of the latest version of each trial.
select child.nct_id, child.site_id, child.name, child.role, child.phone, child.phone_extension, child.email
from raw.facility_contacts as child
join stg_trials using (record_id)
