-- One row per change of a followed field between consecutive versions of a trial, dated by the new
-- version's valid_from. Values are text; for dates, slip_days is new minus old (positive = later).
-- lead_sponsor_class and phase are the trial's as of the new version, for grouping.
with pairs as (
    select new.*, old.overall_status as old_overall_status, old.enrollment as old_enrollment,
        old.phase as old_phase, old.start_date as old_start_date,
        old.primary_completion_date as old_primary_completion_date,
        old.completion_date as old_completion_date, old.number_of_sites as old_number_of_sites,
        old.lead_sponsor as old_lead_sponsor
    from trial_versions as new
    join trial_versions as old on old.nct_id = new.nct_id and old.version = new.version - 1
),
changes as (
    select nct_id, version, valid_from, lead_sponsor_class, phase, unnest([
        {'field': 'overall_status', 'old_value': old_overall_status, 'new_value': overall_status, 'slip_days': null::integer},
        {'field': 'enrollment', 'old_value': old_enrollment::varchar, 'new_value': enrollment::varchar, 'slip_days': null},
        {'field': 'phase', 'old_value': old_phase, 'new_value': phase, 'slip_days': null},
        {'field': 'start_date', 'old_value': old_start_date::varchar, 'new_value': start_date::varchar,
         'slip_days': date_diff('day', old_start_date, start_date)},
        {'field': 'primary_completion_date', 'old_value': old_primary_completion_date::varchar,
         'new_value': primary_completion_date::varchar,
         'slip_days': date_diff('day', old_primary_completion_date, primary_completion_date)},
        {'field': 'completion_date', 'old_value': old_completion_date::varchar, 'new_value': completion_date::varchar,
         'slip_days': date_diff('day', old_completion_date, completion_date)},
        {'field': 'number_of_sites', 'old_value': old_number_of_sites::varchar, 'new_value': number_of_sites::varchar, 'slip_days': null},
        {'field': 'lead_sponsor', 'old_value': old_lead_sponsor, 'new_value': lead_sponsor, 'slip_days': null}
    ]) as change
    from pairs
)
select
    nct_id,
    version,
    valid_from as changed_at,
    change.field,
    change.old_value,
    change.new_value,
    change.slip_days,
    lead_sponsor_class,
    phase
from changes
where change.old_value is distinct from change.new_value
