-- The lead sponsor and the collaborators of each trial.
select nct_id, name, agency_class, role
from stg_sponsors
