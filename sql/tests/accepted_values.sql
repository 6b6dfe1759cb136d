-- Every coded column holds a value of its vocabulary (the `vocabularies` table, from etl/vocab.py).
with observed as (
    select 'study_type' as vocabulary, study_type as value from trials
    union all select 'phase', unnest(phases) from trials
    union all select 'overall_status', overall_status from trials
    union all select 'enrollment_type', enrollment_type from trials
    union all select 'allocation', allocation from trials
    union all select 'intervention_model', intervention_model from trials
    union all select 'primary_purpose', primary_purpose from trials
    union all select 'masking', masking from trials
    union all select 'sex', sex from trials
    union all select 'agency_class', lead_sponsor_class from trials
    union all select 'date_precision', start_date_precision from trials
    union all select 'date_precision', primary_completion_date_precision from trials
    union all select 'date_precision', completion_date_precision from trials
    union all select 'agency_class', agency_class from sponsors
    union all select 'sponsor_role', role from sponsors
    union all select 'site_status', status from sites
    union all select 'intervention_type', intervention_type from interventions
    union all select 'arm_type', arm_type from arm_groups
    union all select 'outcome_kind', kind from outcomes
)
select vocabulary, value, count(*) as rows
from observed
anti join vocabularies using (vocabulary, value)
where value is not null
group by all
