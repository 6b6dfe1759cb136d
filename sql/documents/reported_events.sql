-- The adverse events: one row per event term x group, serious and other events alike, with how many
-- participants it affected among how many at risk, and how many times it occurred.
with modules as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.adverseEventsModule', '{
        "seriousEvents": [{"term": "VARCHAR", "organSystem": "VARCHAR", "sourceVocabulary": "VARCHAR",
            "assessmentType": "VARCHAR", "notes": "VARCHAR",
            "stats": [{"groupId": "VARCHAR", "numEvents": "INTEGER", "numAffected": "INTEGER", "numAtRisk": "INTEGER"}]}],
        "otherEvents": [{"term": "VARCHAR", "organSystem": "VARCHAR", "sourceVocabulary": "VARCHAR",
            "assessmentType": "VARCHAR", "notes": "VARCHAR",
            "stats": [{"groupId": "VARCHAR", "numEvents": "INTEGER", "numAffected": "INTEGER", "numAtRisk": "INTEGER"}]}]
    }') as ae
    from documents
),
events as (
    select record_id, nct_id, 'serious' as event_type, unnest(ae.seriousEvents) as event from modules
    union all
    select record_id, nct_id, 'other', unnest(ae.otherEvents) from modules
)
select record_id, nct_id, event_type, s.groupId as result_group_id, event.organSystem as organ_system,
       event.term as adverse_event_term, event.sourceVocabulary as vocab, event.assessmentType as assessment,
       event.notes, s.numAffected as subjects_affected, s.numAtRisk as subjects_at_risk, s.numEvents as event_count
from events, unnest(event.stats) as counted(s)
