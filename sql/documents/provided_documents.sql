-- Large documents posted with the trial (protocol, statistical analysis plan, consent form); the model adds each one's URL.
select record_id, nct_id, document.typeAbbrev as document_type, document.label, document.hasProtocol as has_protocol,
       document.hasIcf as has_icf, document.hasSap as has_sap,
       try_cast(document.date as date) as document_date, try_cast(document.uploadDate as timestamp) as uploaded_at,
       document.filename as file_name, document.size
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.documentSection.largeDocumentModule.largeDocs'),
                                              '[{"typeAbbrev": "VARCHAR", "hasProtocol": "BOOLEAN", "hasSap": "BOOLEAN",
                                                 "hasIcf": "BOOLEAN", "label": "VARCHAR", "date": "VARCHAR",
                                                 "uploadDate": "VARCHAR", "filename": "VARCHAR", "size": "BIGINT"}]')) as document
    from documents
)
