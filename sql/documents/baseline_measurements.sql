-- The baseline characteristics of the participants (age, sex, race, region, the trial's own
-- measures): one row per reported value, measure x class x category x group, and one row without a
-- group for a measure, class or category the registry lists without values, so its titles are kept.
with baselines as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.baselineCharacteristicsModule.measures', '[{
        "title": "VARCHAR", "description": "VARCHAR", "populationDescription": "VARCHAR",
        "paramType": "VARCHAR", "dispersionType": "VARCHAR", "unitOfMeasure": "VARCHAR",
        "calculatePct": "BOOLEAN", "denomUnitsSelected": "VARCHAR",
        "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}],
        "classes": [{"title": "VARCHAR",
            "denoms": [{"units": "VARCHAR", "counts": [{"groupId": "VARCHAR", "value": "VARCHAR"}]}],
            "categories": [{"title": "VARCHAR", "measurements": [{"groupId": "VARCHAR", "value": "VARCHAR",
                "spread": "VARCHAR", "lowerLimit": "VARCHAR", "upperLimit": "VARCHAR", "comment": "VARCHAR"}]}]}]
    }]') as measures
    from documents
),
measures as (
    select record_id, nct_id, unnest(measures) as measure, generate_subscripts(measures, 1) as measure_number
    from baselines
),
-- `coalesce(nullif(list, []), [null])`: an empty level still gives its parent one row.
classes as (
    select *, unnest(coalesce(nullif(measure.classes, []), [null])) as class from measures
),
categories as (
    select *, unnest(coalesce(nullif(class.categories, []), [null])) as category from classes
),
measured as (
    -- The participants a value counts: the class's denominators if it has them, else the measure's;
    -- of those, the ones in the measure's selected units, else the first (as baseline_counts has them).
    select *, list_filter(coalesce(class.denoms, measure.denoms),
                          lambda d: d.units = coalesce(measure.denomUnitsSelected, d.units))[1] as denom
    from (select *, unnest(coalesce(nullif(category.measurements, []), [null])) as m from categories)
)
-- A `_num` column is its value as a number when the value is a plain decimal number (`12`, `-0.5`,
-- `1e-3`), else null (`NA`, `< 0.001`, `1,234`): decimal_number, etl/document_sql.py; the value as
-- given stays in its own column.
select record_id, nct_id, measure_number, m.groupId as result_group_id,
       measure.title, measure.description, measure.populationDescription as population_description,
       measure.unitOfMeasure as units, measure.paramType as param_type, measure.dispersionType as dispersion_type,
       measure.calculatePct as calculate_percentage, measure.denomUnitsSelected as denom_units_selected,
       class.title as classification, category.title as category,
       m.value as param_value,
       decimal_number(m.value)
           as param_value_num,
       m.spread as dispersion_value,
       decimal_number(m.spread)
           as dispersion_value_num,
       m.lowerLimit as dispersion_lower_limit_raw,
       decimal_number(m.lowerLimit)
           as dispersion_lower_limit,
       m.upperLimit as dispersion_upper_limit_raw,
       decimal_number(m.upperLimit)
           as dispersion_upper_limit,
       m.comment as explanation_of_na,
       try_cast(list_filter(denom.counts, lambda c: c.groupId = m.groupId)[1].value as integer) as number_analyzed,
       denom.units as number_analyzed_units
from measured
