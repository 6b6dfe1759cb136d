-- Whom to contact at each site (role CONTACT), tied to the site by (nct_id, site_id).
select nct_id, site_id, name, role, phone, phone_extension, email
from stg_facility_contacts
