-- How many participants (or other units) each baseline group holds: one row per unit x group, with
-- the baseline's population description.
with baselines as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.baselineCharacteristicsModule', '{
        "populationDescription": "VARCHAR", "typeUnitsAnalyzed": "VARCHAR",
        "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}]
    }') as baseline
    from documents
),
denoms as (
    select record_id, nct_id, baseline, unnest(baseline.denoms) as denom from baselines
)
-- Counts are whole numbers in the registry; one that is not (none in the shared records) is null.
select record_id, nct_id, c.groupId as result_group_id, denom.units, try_cast(c.value as integer) as count,
       baseline.populationDescription as population_description, baseline.typeUnitsAnalyzed as units_analyzed
from denoms, unnest(denom.counts) as counted(c)
