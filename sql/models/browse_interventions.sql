-- MeSH terms of the trial's interventions as the registry derives them: `mesh-list` the terms it matched,
-- `mesh-ancestor` their ancestors in the MeSH tree (as AACT's browse_interventions).
select nct_id, mesh_term, mesh_id, mesh_type
from stg_browse_interventions
