select nct_id, name, agency_class, role
from stg_sponsors
