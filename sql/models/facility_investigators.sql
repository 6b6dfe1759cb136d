-- Investigators at each site (principal and sub-investigators), tied to the site by (nct_id, site_id).
select nct_id, site_id, name, role
from stg_facility_investigators
