-- Sites of the latest version of each trial.
select child.nct_id, child.site_id, child.facility, child.city, child.state, child.zip, child.country, child.country_code, child.status, child.latitude, child.longitude
from raw.sites as child
join stg_trials using (record_id)
