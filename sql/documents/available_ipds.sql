-- Individual participant data sets and documents the sponsor says are available, and where (AACT's documents).
select record_id, nct_id, ipd.id as document_id, ipd.type as document_type, ipd.url, ipd.comment
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.referencesModule.availIpds'),
                                              '[{"id": "VARCHAR", "type": "VARCHAR", "url": "VARCHAR", "comment": "VARCHAR"}]')) as ipd
    from documents
)
