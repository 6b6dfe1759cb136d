-- What the sponsor plans to share besides individual participant data (study protocol, SAP, ICF, CSR, analytic code).
select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.ipdSharingStatementModule.infoTypes'), '["VARCHAR"]')) as name
from documents
