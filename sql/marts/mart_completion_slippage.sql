-- Moves of the (primary) completion date by lead sponsor class and phase, in days (positive = later).
-- A date set for the first time or removed is not a slip and is left out.
select
    lead_sponsor_class,
    phase,
    field as date_field,
    count(*) as changes,
    count(distinct nct_id) as trials,
    count(*) filter (where slip_days > 0) as delays,
    count(*) filter (where slip_days < 0) as advances,
    sum(slip_days) as total_slip_days,
    avg(slip_days) as mean_slip_days,
    median(slip_days) as median_slip_days,
    max(slip_days) as max_slip_days
from trial_changes
where field in ('primary_completion_date', 'completion_date') and slip_days is not null
group by all
