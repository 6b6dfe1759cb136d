-- Where each trial runs: one row per facility, with its recruitment status and location.
select nct_id, site_id, facility, city, state, zip, country, country_code, status, latitude, longitude
from stg_sites
