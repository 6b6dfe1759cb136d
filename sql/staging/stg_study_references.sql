-- Study references of the latest version of each trial.
select child.nct_id, child.pmid, child.reference_type, child.citation
from raw.study_references as child
join stg_trials using (record_id)
