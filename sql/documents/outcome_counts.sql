-- How many participants (or other units) each outcome analyzed: one row per outcome x units x group,
-- for the whole measure (scope `measure`) and, where the registry gives them, per class (`class`).
with outcomes as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.outcomeMeasuresModule.outcomeMeasures', '[{
        "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}],
        "classes": [{"title": "VARCHAR",
            "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}]}]
    }]') as outcomes
    from documents
),
numbered as (
    select record_id, nct_id, unnest(outcomes) as outcome, generate_subscripts(outcomes, 1) as outcome_number
    from outcomes
),
classes as (
    select record_id, nct_id, outcome_number, unnest(outcome.classes) as class from numbered
),
denoms as (
    select record_id, nct_id, outcome_number, 'measure' as scope, null::varchar as classification,
           unnest(outcome.denoms) as denom
    from numbered
    union all
    select record_id, nct_id, outcome_number, 'class', class.title, unnest(class.denoms) from classes
)
-- Counts are whole numbers in the registry; one that is not (none in the shared records) is null.
select record_id, nct_id, outcome_number, c.groupId as result_group_id, scope, classification, denom.units,
       try_cast(c.value as integer) as count
from denoms, unnest(denom.counts) as counted(c)
