-- The results of the outcome measures: one row per reported value, outcome x class x category x
-- group, with the outcome's title, type, time frame, units and statistic; and one row without a group
-- for a class or category the registry lists without values, so its titles are kept.
with outcomes as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.outcomeMeasuresModule.outcomeMeasures', '[{
        "type": "VARCHAR", "title": "VARCHAR", "timeFrame": "VARCHAR", "unitOfMeasure": "VARCHAR",
        "paramType": "VARCHAR", "dispersionType": "VARCHAR",
        "classes": [{"title": "VARCHAR",
            "categories": [{"title": "VARCHAR", "measurements": [{"groupId": "VARCHAR", "value": "VARCHAR",
                "spread": "VARCHAR", "lowerLimit": "VARCHAR", "upperLimit": "VARCHAR", "comment": "VARCHAR"}]}]}]
    }]') as outcomes
    from documents
),
numbered as (
    select record_id, nct_id, unnest(outcomes) as outcome, generate_subscripts(outcomes, 1) as outcome_number
    from outcomes
),
-- `coalesce(nullif(list, []), [null])`: an empty level still gives its parent one row; an outcome
-- without classes (not posted) has none, it is in result_outcomes.
classes as (
    select record_id, nct_id, outcome_number, outcome, unnest(outcome.classes) as class from numbered
),
categories as (
    select *, unnest(coalesce(nullif(class.categories, []), [null])) as category from classes
)
-- A `_num` column is its value as a number when the value is a plain decimal number (`12`, `-0.5`,
-- `1e-3`), else null (`NA`, `< 0.001`, `1,234`): decimal_number, etl/document_sql.py; the value as
-- given stays in its own column.
select record_id, nct_id, outcome_number, outcome.type as outcome_type, outcome.title,
       outcome.timeFrame as time_frame, outcome.unitOfMeasure as units, outcome.paramType as param_type,
       outcome.dispersionType as dispersion_type, m.groupId as result_group_id,
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
       m.comment as explanation_of_na
from (select *, unnest(coalesce(nullif(category.measurements, []), [null])) as m from categories)
