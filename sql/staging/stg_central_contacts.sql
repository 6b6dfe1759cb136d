-- Central contacts of the latest version of each trial.
select child.nct_id, child.contact_type, child.name, child.role, child.phone, child.phone_extension, child.email
from raw.central_contacts as child
join stg_trials using (record_id)
