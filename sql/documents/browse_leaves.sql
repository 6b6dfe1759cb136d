-- The registry's MeSH browse leaves: every term it relates to the trial's conditions or interventions,
-- how relevant (HIGH = matched, LOW = an ancestor), and the words it was found as.
with modules as (
    select record_id, nct_id, json_extract(doc, ['$.derivedSection.conditionBrowseModule.browseLeaves',
                                                 '$.derivedSection.interventionBrowseModule.browseLeaves']) as leaves
    from documents
)
select record_id, nct_id, browse_type, leaf.id as mesh_id, leaf.name as mesh_term, leaf.asFound as as_found, leaf.relevance
from (
    select record_id, nct_id, browse_type,
           unnest(from_json(leaves[browse], '[{"id": "VARCHAR", "name": "VARCHAR", "asFound": "VARCHAR", "relevance": "VARCHAR"}]')) as leaf
    from modules, (values (1, 'condition'), (2, 'intervention')) as kinds(browse, browse_type)
)
