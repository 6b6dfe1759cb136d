-- The outcome measures as reported with the results (AACT's `outcomes`; `outcomes` here is the
-- protocol's planned outcome list): one row per outcome, numbered in registry order by outcome_number,
-- the key its groups, values, counts and analyses share.
with outcomes as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.outcomeMeasuresModule.outcomeMeasures', '[{
        "type": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR", "populationDescription": "VARCHAR",
        "reportingStatus": "VARCHAR", "anticipatedPostingDate": "VARCHAR", "paramType": "VARCHAR",
        "dispersionType": "VARCHAR", "unitOfMeasure": "VARCHAR", "calculatePct": "BOOLEAN", "timeFrame": "VARCHAR",
        "typeUnitsAnalyzed": "VARCHAR", "denomUnitsSelected": "VARCHAR"
    }]') as outcomes
    from documents
),
numbered as (
    select record_id, nct_id, unnest(outcomes) as o, generate_subscripts(outcomes, 1) as outcome_number
    from outcomes
)
select record_id, nct_id, outcome_number, o.type as outcome_type, o.title, o.description, o.timeFrame as time_frame,
       o.populationDescription as population, o.reportingStatus as reporting_status,
       o.anticipatedPostingDate as anticipated_posting_date, o.unitOfMeasure as units,
       o.paramType as param_type, o.dispersionType as dispersion_type, o.calculatePct as calculate_percentage,
       o.typeUnitsAnalyzed as units_analyzed, o.denomUnitsSelected as denom_units_selected
from numbered
