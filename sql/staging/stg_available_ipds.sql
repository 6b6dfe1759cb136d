-- Available ipds of the latest version of each trial.
select child.nct_id, child.document_id, child.document_type, child.url, child.comment
from raw.available_ipds as child
join stg_trials using (record_id)
