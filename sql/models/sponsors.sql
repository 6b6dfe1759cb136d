-- The lead sponsor and the collaborators of each trial, with the canonical name of the organization
-- next to the registry's spelling (see sponsor_names).
select s.nct_id, s.name, s.agency_class, s.role, n.canonical_name
from stg_sponsors as s
left join sponsor_names as n using (name)
