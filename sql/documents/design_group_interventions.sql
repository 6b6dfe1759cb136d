-- Which intervention each arm receives: one row per arm group label an intervention names.
select record_id, nct_id, arm_group_label, intervention.type as intervention_type, intervention.name as intervention_name
from (
    select record_id, nct_id, intervention, unnest(intervention.armGroupLabels) as arm_group_label
    from (
        select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.armsInterventionsModule.interventions'),
                                                   '[{"type": "VARCHAR", "name": "VARCHAR", "armGroupLabels": ["VARCHAR"]}]')) as intervention
        from documents
    )
)
