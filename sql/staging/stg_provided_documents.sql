-- Provided documents of the latest version of each trial.
select child.nct_id, child.document_type, child.label, child.has_protocol, child.has_icf, child.has_sap, child.document_date, child.uploaded_at, child.file_name, child.size
from raw.provided_documents as child
join stg_trials using (record_id)
