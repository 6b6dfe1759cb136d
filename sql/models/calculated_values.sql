-- One row per trial: facts derived from its current version, its sites, its outcomes and its history,
-- as AACT's calculated_values, and status-aware ones AACT lacks, each as of `as_of_date`: the date the
-- data of the trial's current version describes. That is the as-of date of the run that stored it, or
-- of a later run that saw it unchanged: a later complete crawl with the same options (a scheduled
-- `--since auto` run included, which fetches every trial that changed), not capped by --max-records
-- and without errors. An import vouches only for what it stored.
with stored as (
    select v.nct_id, r.run_id, r.source, (r.manifest->'options') as options
    from trial_versions as v
    join runs as r on r.run_id = v.run_id
    where v.is_current
),
current as (
    select t.*, dated.as_of_date
    from trials as t
    join (
        select s.nct_id, max(later.as_of) as as_of_date
        from stored as s
        join runs as later on later.run_id = s.run_id or (
            later.run_id > s.run_id and later.source = s.source and later.source <> 'import'
            and (later.manifest->'options') = s.options and len(later.errors) = 0
            and ((later.manifest->'options')->>'max_records') is null)
        group by s.nct_id
    ) as dated using (nct_id)
),
site_counts as (
    select nct_id,
        count(*) as number_of_sites,
        count(distinct country_code) as number_of_countries,
        bool_or(country_code = 'US') as has_us_facility
    from sites
    group by nct_id
),
outcome_counts as (
    select nct_id,
        count(*) filter (where kind = 'primary') as number_of_primary_outcomes_to_measure,
        count(*) filter (where kind = 'secondary') as number_of_secondary_outcomes_to_measure,
        count(*) filter (where kind = 'other') as number_of_other_outcomes_to_measure
    from outcomes
    group by nct_id
),
reported_outcomes as (
    select nct_id,
        count(*) filter (where outcome_type = 'PRIMARY') as number_of_primary_outcomes_reported,
        count(*) filter (where outcome_type = 'SECONDARY') as number_of_secondary_outcomes_reported,
        count(*) filter (where outcome_type = 'OTHER_PRE_SPECIFIED') as number_of_other_outcomes_reported,
        count(*) filter (where outcome_type = 'POST_HOC') as number_of_post_hoc_outcomes_reported
    from result_outcomes
    group by nct_id
),
event_subjects as (
    -- as AACT: participants affected summed over every event term and group (one participant counts once
    -- per term), null when the trial reports no event of the kind
    select nct_id,
        (sum(subjects_affected) filter (where event_type = 'serious'))::bigint as number_of_sae_subjects,
        (sum(subjects_affected) filter (where event_type = 'other'))::bigint as number_of_nsae_subjects
    from reported_events
    group by nct_id
),
planned as (
    -- the enrollment of the earliest stored version that gave an estimate
    select nct_id, arg_min(enrollment, version) as first_planned_enrollment
    from trial_versions
    where enrollment_type = 'ESTIMATED' and enrollment is not null
    group by nct_id
),
facts as (
    select
        c.nct_id,
        c.as_of_date,
        coalesce(s.number_of_sites, 0) as number_of_sites,
        coalesce(s.number_of_countries, 0) as number_of_countries,
        coalesce(s.has_us_facility, false) as has_us_facility,
        coalesce(s.number_of_sites, 0) = 1 as has_single_facility,
        year(c.first_posted) as registered_in_calendar_year,
        coalesce(o.number_of_primary_outcomes_to_measure, 0) as number_of_primary_outcomes_to_measure,
        coalesce(o.number_of_secondary_outcomes_to_measure, 0) as number_of_secondary_outcomes_to_measure,
        coalesce(o.number_of_other_outcomes_to_measure, 0) as number_of_other_outcomes_to_measure,
        coalesce(c.has_results, false) as were_results_reported,
        c.overall_status in ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION',
                             'ACTIVE_NOT_RECRUITING') as is_open,
        c.primary_completion_date < c.as_of_date as primary_completion_passed,
        -- the registry marks an open trial UNKNOWN once its sponsor has not verified it for two years;
        -- a trial open as of its as-of date whose verification is that old is stale before the mark
        coalesce(c.overall_status = 'UNKNOWN' or (c.overall_status in ('RECRUITING', 'NOT_YET_RECRUITING',
            'ENROLLING_BY_INVITATION', 'ACTIVE_NOT_RECRUITING')
            and c.status_verified_date < c.as_of_date - interval 2 year), false) as is_stale,
        -- months of 30 days truncated, as AACT; a date counts as actual when typed ACTUAL, or untyped (older
        -- records, pages) in a trial that finished (completed or terminated), so it did start and complete
        case when (c.start_date_type = 'ACTUAL' or (c.start_date_type is null and untyped_dates_happened))
              and (c.primary_completion_date_type = 'ACTUAL'
                   or (c.primary_completion_date_type is null and untyped_dates_happened))
             then trunc((c.primary_completion_date - c.start_date) / 30)::integer end as actual_duration,
        trunc((c.results_first_submitted - c.primary_completion_date) / 30)::integer as months_to_report_results,
        r.number_of_primary_outcomes_reported,
        r.number_of_secondary_outcomes_reported,
        r.number_of_other_outcomes_reported,
        r.number_of_post_hoc_outcomes_reported,
        e.number_of_sae_subjects,
        e.number_of_nsae_subjects,
        -- results are due a year after primary completion (42 CFR 11.44) from interventional trials
        -- that ran (not withdrawn before enrolling anyone)
        case when c.study_type = 'INTERVENTIONAL' and c.overall_status <> 'WITHDRAWN'
             then (c.primary_completion_date + interval 1 year)::date end as results_due_date,
        p.first_planned_enrollment,
        case when c.enrollment_type = 'ACTUAL' then c.enrollment end as actual_enrollment,
        c.overall_status
    from (
        select *, overall_status in ('COMPLETED', 'TERMINATED') and primary_completion_date < as_of_date
            as untyped_dates_happened
        from current
    ) as c
    left join site_counts as s using (nct_id)
    left join outcome_counts as o using (nct_id)
    left join planned as p using (nct_id)
    left join reported_outcomes as r using (nct_id)
    left join event_subjects as e using (nct_id)
)
select
    nct_id,
    as_of_date,
    number_of_sites,
    number_of_countries,
    has_us_facility,
    has_single_facility,
    registered_in_calendar_year,
    number_of_primary_outcomes_to_measure,
    number_of_secondary_outcomes_to_measure,
    number_of_other_outcomes_to_measure,
    were_results_reported,
    actual_duration,
    months_to_report_results,
    number_of_primary_outcomes_reported,
    number_of_secondary_outcomes_reported,
    number_of_other_outcomes_reported,
    number_of_post_hoc_outcomes_reported,
    number_of_sae_subjects,
    number_of_nsae_subjects,
    coalesce(is_open and primary_completion_passed, false) as is_overdue,
    is_stale,
    overall_status in ('RECRUITING', 'ENROLLING_BY_INVITATION') and not coalesce(primary_completion_passed, false)
        as effectively_recruiting,
    results_due_date,
    coalesce(results_due_date < as_of_date and not were_results_reported, false) as results_overdue,
    first_planned_enrollment,
    actual_enrollment,
    actual_enrollment - first_planned_enrollment as enrollment_change
from facts
