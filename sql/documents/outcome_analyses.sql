-- The statistical analyses of the outcomes: one row per analysis, with the groups it compares, its
-- method, p-value, estimate and confidence interval.
with outcomes as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.outcomeMeasuresModule.outcomeMeasures', '[{
        "analyses": [{"groupIds": ["VARCHAR"], "groupDescription": "VARCHAR",
            "testedNonInferiority": "BOOLEAN", "nonInferiorityType": "VARCHAR", "nonInferiorityComment": "VARCHAR",
            "paramType": "VARCHAR", "paramValue": "VARCHAR", "dispersionType": "VARCHAR", "dispersionValue": "VARCHAR",
            "statisticalMethod": "VARCHAR", "statisticalComment": "VARCHAR", "pValue": "VARCHAR", "pValueComment": "VARCHAR",
            "ciNumSides": "VARCHAR", "ciPctValue": "VARCHAR", "ciLowerLimit": "VARCHAR", "ciUpperLimit": "VARCHAR",
            "ciLowerLimitComment": "VARCHAR", "ciUpperLimitComment": "VARCHAR", "estimateComment": "VARCHAR",
            "otherAnalysisDescription": "VARCHAR"}]
    }]') as outcomes
    from documents
),
numbered as (
    select record_id, nct_id, unnest(outcomes) as outcome, generate_subscripts(outcomes, 1) as outcome_number
    from outcomes
),
analyses as (
    select record_id, nct_id, outcome_number, unnest(outcome.analyses) as a from numbered
),
parsed as (
    -- The p-value as the registry gives it (`<0.001`, `=0.247`, `0,001`): its comparison sign and its
    -- number, a decimal comma read as a point (p-values are below 1).
    select *, regexp_extract(a.pValue, '^\s*(<=|>=|≤|≥|<|>|=)?\s*((?:\d+[.,]?\d*|[.,]\d+)(?:[eE][+-]?\d+)?)\s*$',
                             ['modifier', 'number']) as p
    from analyses
)
-- A numeric column is its `_raw` value as a number when that is a plain decimal number (`12`,
-- `-0.5`, `1e-3`), else null (`NA`, `1,234`): decimal_number, etl/document_sql.py; p_value also
-- reads `<0.001` as 0.001 (the sign is in p_value_modifier).
select record_id, nct_id, outcome_number, a.groupIds as group_ids, a.groupDescription as groups_description,
       a.statisticalMethod as method, a.statisticalComment as method_description,
       a.pValue as p_value_raw, nullif(p.modifier, '') as p_value_modifier,
       try_cast(replace(p.number, ',', '.') as double) as p_value, a.pValueComment as p_value_description,
       a.paramType as param_type, a.paramValue as param_value_raw,
       decimal_number(a.paramValue)
           as param_value,
       a.dispersionType as dispersion_type, a.dispersionValue as dispersion_value_raw,
       decimal_number(a.dispersionValue)
           as dispersion_value,
       a.ciNumSides as ci_n_sides,
       decimal_number(a.ciPctValue)
           as ci_percent,
       a.ciLowerLimit as ci_lower_limit_raw,
       decimal_number(a.ciLowerLimit)
           as ci_lower_limit,
       a.ciUpperLimit as ci_upper_limit_raw,
       decimal_number(a.ciUpperLimit)
           as ci_upper_limit,
       a.ciLowerLimitComment as ci_lower_limit_na_comment, a.ciUpperLimitComment as ci_upper_limit_na_comment,
       a.estimateComment as estimate_description, a.testedNonInferiority as tested_non_inferiority,
       a.nonInferiorityType as non_inferiority_type, a.nonInferiorityComment as non_inferiority_description,
       a.otherAnalysisDescription as other_analysis_description
from parsed
