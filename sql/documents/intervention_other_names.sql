-- Other names of each intervention (brand names, codes), one row per name.
select record_id, nct_id, intervention.type as intervention_type, intervention.name as intervention_name, other_name
from (
    select record_id, nct_id, intervention, unnest(intervention.otherNames) as other_name
    from (
        select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.armsInterventionsModule.interventions'),
                                                   '[{"type": "VARCHAR", "name": "VARCHAR", "otherNames": ["VARCHAR"]}]')) as intervention
        from documents
    )
)
