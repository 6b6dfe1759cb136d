-- Large documents posted with the trial (protocol, statistical analysis plan, consent form), each with its URL.
select nct_id, document_type, label, has_protocol, has_icf, has_sap, document_date, uploaded_at, file_name, size, url
from stg_provided_documents
