-- The registry's MeSH browse leaves: every term it relates to the trial's conditions or interventions,
-- how relevant (HIGH = matched, LOW = an ancestor), and the words it was found as.
select nct_id, browse_type, mesh_id, mesh_term, as_found, relevance
from stg_browse_leaves
