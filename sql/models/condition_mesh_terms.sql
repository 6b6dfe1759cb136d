-- The MeSH headings the registry derived from each trial's conditions.
select nct_id, mesh_id, mesh_term
from stg_condition_mesh_terms
