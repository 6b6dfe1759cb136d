-- The groups the results report on: one row per group of the participant flow, the baseline, each
-- outcome (an outcome numbers its own groups) and the adverse events. Ids as the registry gives them:
-- `FG000`, `BG000`, `OG000`, `EG000` from API v2 and bulk JSON, `P1`, `B1`, `O1`, `E1` from legacy XML.
with results as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection', '{
        "participantFlowModule": {"groups": [{"id": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR"}]},
        "baselineCharacteristicsModule": {"groups": [{"id": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR"}]},
        "outcomeMeasuresModule": {"outcomeMeasures": [
            {"groups": [{"id": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR"}]}]},
        "adverseEventsModule": {"eventGroups": [{"id": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR"}]}
    }') as r
    from documents
),
outcomes as (
    select record_id, nct_id, unnest(r.outcomeMeasuresModule.outcomeMeasures) as outcome,
           generate_subscripts(r.outcomeMeasuresModule.outcomeMeasures, 1) as outcome_number
    from results
),
grouped as (
    select record_id, nct_id, 'participant_flow' as result_type, null::integer as outcome_number,
           unnest(r.participantFlowModule.groups) as g
    from results
    union all
    select record_id, nct_id, 'baseline', null, unnest(r.baselineCharacteristicsModule.groups) from results
    union all
    select record_id, nct_id, 'outcome', outcome_number, unnest(outcome.groups) from outcomes
    union all
    select record_id, nct_id, 'adverse_event', null, unnest(r.adverseEventsModule.eventGroups) from results
)
select record_id, nct_id, result_type, outcome_number, g.id as result_group_id, g.title, g.description
from grouped
