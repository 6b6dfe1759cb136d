-- Per lead sponsor (canonical name): its trials, how many are open, overdue (primary completion passed
-- while still open), stale (status UNKNOWN, or open and unverified for two years) or overdue with
-- results, each as of the trials' as-of dates.
select
    s.canonical_name as lead_sponsor,
    s.agency_class as lead_sponsor_class,
    count(*) as trials,
    count(*) filter (where t.overall_status in ('RECRUITING', 'NOT_YET_RECRUITING', 'ENROLLING_BY_INVITATION',
                                                'ACTIVE_NOT_RECRUITING')) as open_trials,
    count(*) filter (where cv.is_overdue) as overdue_trials,
    count(*) filter (where cv.is_stale) as stale_trials,
    count(*) filter (where cv.results_overdue) as results_overdue_trials
from (select distinct nct_id, canonical_name, agency_class from sponsors where role = 'lead') as s
join trials as t using (nct_id)
join calculated_values as cv using (nct_id)
group by all
