-- Large documents posted with the trial (protocol, statistical analysis plan, consent form), each with its URL
-- on the registry (built from the trial's id and the file name, as the registry builds it).
select nct_id, document_type, label, has_protocol, has_icf, has_sap, document_date, uploaded_at, file_name, size,
       'https://clinicaltrials.gov/ProvidedDocs/' || right(nct_id, 2) || '/' || nct_id || '/' || file_name as url
from stg_provided_documents
