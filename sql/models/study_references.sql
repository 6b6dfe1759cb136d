-- Publications the trial cites: background, results (RESULT) or derived from it, with PubMed id.
select nct_id, pmid, reference_type, citation
from stg_study_references
