-- Web pages the sponsor links the trial to (the registry's "see also" links).
select record_id, nct_id, link.url, link.label as description
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.referencesModule.seeAlsoLinks'),
                                              '[{"url": "VARCHAR", "label": "VARCHAR"}]')) as link
    from documents
)
