-- The registry's MeSH browse branches of the trial's conditions or interventions (e.g. BC04 Neoplasms).
with modules as (
    select record_id, nct_id, json_extract(doc, ['$.derivedSection.conditionBrowseModule.browseBranches',
                                                 '$.derivedSection.interventionBrowseModule.browseBranches']) as branches
    from documents
)
select record_id, nct_id, browse_type, branch.abbrev, branch.name
from (
    select record_id, nct_id, browse_type,
           unnest(from_json(branches[browse], '[{"abbrev": "VARCHAR", "name": "VARCHAR"}]')) as branch
    from modules, (values (1, 'condition'), (2, 'intervention')) as kinds(browse, browse_type)
)
