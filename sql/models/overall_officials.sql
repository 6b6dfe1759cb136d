-- The trial's overall officials (principal investigators, study chairs and directors): name, role, affiliation.
select nct_id, name, role, affiliation
from stg_overall_officials
