-- The registry's MeSH browse branches of the trial's conditions or interventions (e.g. BC04 Neoplasms).
select nct_id, browse_type, abbrev, name
from stg_browse_branches
