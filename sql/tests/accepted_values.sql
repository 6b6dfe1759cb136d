-- Every coded column holds a value of its vocabulary (the `vocabularies` table, from etl/vocab.py),
-- unless the trial carries the flag `unknown_value:<column>` (etl/validate.py): the raw value is kept
-- and flagged on purpose. An unflagged unknown value still fails the build.
with observed as (
    select nct_id, 'study_type' as col, 'study_type' as vocabulary, study_type as value from trials
    union all select nct_id, 'phases', 'phase', unnest(phases) from trials
    union all select nct_id, 'overall_status', 'overall_status', overall_status from trials
    union all select nct_id, 'enrollment_type', 'enrollment_type', enrollment_type from trials
    union all select nct_id, 'allocation', 'allocation', allocation from trials
    union all select nct_id, 'intervention_model', 'intervention_model', intervention_model from trials
    union all select nct_id, 'primary_purpose', 'primary_purpose', primary_purpose from trials
    union all select nct_id, 'masking', 'masking', masking from trials
    union all select nct_id, 'sex', 'sex', sex from trials
    union all select nct_id, 'lead_sponsor_class', 'agency_class', lead_sponsor_class from trials
    union all select nct_id, 'start_date_precision', 'date_precision', start_date_precision from trials
    union all select nct_id, 'primary_completion_date_precision', 'date_precision', primary_completion_date_precision from trials
    union all select nct_id, 'completion_date_precision', 'date_precision', completion_date_precision from trials
    union all select nct_id, 'sponsors.agency_class', 'agency_class', agency_class from sponsors
    union all select nct_id, 'sponsors.role', 'sponsor_role', role from sponsors
    union all select nct_id, 'sites.status', 'site_status', status from sites
    union all select nct_id, 'interventions.intervention_type', 'intervention_type', intervention_type from interventions
    union all select nct_id, 'arm_groups.arm_type', 'arm_type', arm_type from arm_groups
    union all select nct_id, 'outcomes.kind', 'outcome_kind', kind from outcomes
)
select o.vocabulary, o.value, count(*) as rows
from observed as o
anti join vocabularies as v using (vocabulary, value)
left join trials as t using (nct_id)
where o.value is not null
    and not coalesce(list_contains(t.validation_flags, 'unknown_value:' || o.col), false)
group by all
