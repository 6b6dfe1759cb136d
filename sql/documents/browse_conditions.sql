-- MeSH terms of the trial's conditions as the registry derives them: `mesh-list` the terms it matched,
-- `mesh-ancestor` their ancestors in the MeSH tree (as AACT's browse_conditions).
with browse as (
    select record_id, nct_id,
           from_json(json_extract(doc, '$.derivedSection.conditionBrowseModule'),
                     '{"meshes": [{"id": "VARCHAR", "term": "VARCHAR"}], "ancestors": [{"id": "VARCHAR", "term": "VARCHAR"}]}') as module
    from documents
)
select record_id, nct_id, term.term as mesh_term, term.id as mesh_id, mesh_type
from (
    select record_id, nct_id, unnest(module.meshes) as term, 'mesh-list' as mesh_type from browse
    union all
    select record_id, nct_id, unnest(module.ancestors) as term, 'mesh-ancestor' as mesh_type from browse
)
