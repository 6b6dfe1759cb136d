-- Overall-status transitions (e.g. RECRUITING -> TERMINATED) by lead sponsor class and phase.
select
    lead_sponsor_class,
    phase,
    old_value as from_status,
    new_value as to_status,
    count(*) as transitions,
    count(distinct nct_id) as trials
from trial_changes
where field = 'overall_status'
group by all
