-- How many participants (or other units) the baseline counts: one row per units x group for the whole
-- baseline (scope `overall`), and where the registry gives them per measure (`measure`) and per class
-- of a measure (`class`), with the baseline's population description.
with baselines as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.baselineCharacteristicsModule', '{
        "populationDescription": "VARCHAR", "typeUnitsAnalyzed": "VARCHAR",
        "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}],
        "measures": [{"denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}],
            "classes": [{"title": "VARCHAR",
                "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}]}]}]
    }') as baseline
    from documents
),
measures as (
    select record_id, nct_id, baseline, unnest(baseline.measures) as measure,
           generate_subscripts(baseline.measures, 1) as measure_number
    from baselines
),
classes as (
    select record_id, nct_id, baseline, measure_number, unnest(measure.classes) as class from measures
),
denoms as (
    select record_id, nct_id, baseline, 'overall' as scope, null::integer as measure_number,
           null::varchar as classification, unnest(baseline.denoms) as denom
    from baselines
    union all
    select record_id, nct_id, baseline, 'measure', measure_number, null, unnest(measure.denoms) from measures
    union all
    select record_id, nct_id, baseline, 'class', measure_number, class.title, unnest(class.denoms) from classes
)
-- Counts are whole numbers in the registry; one that is not (none in the shared records) is null.
select record_id, nct_id, scope, measure_number, classification, c.groupId as result_group_id, denom.units,
       try_cast(c.value as integer) as count,
       baseline.populationDescription as population_description, baseline.typeUnitsAnalyzed as units_analyzed
from denoms, unnest(denom.counts) as counted(c)
