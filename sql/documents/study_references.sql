-- Publications the trial cites: background, results (RESULT) or derived from it, with PubMed id.
select record_id, nct_id, reference.pmid, reference.type as reference_type, reference.citation
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.referencesModule.references'),
                                              '[{"pmid": "VARCHAR", "type": "VARCHAR", "citation": "VARCHAR"}]')) as reference
    from documents
)
