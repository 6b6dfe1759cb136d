-- Trials by therapeutic area × phase × overall status, for the therapeutic-area dashboards. A trial
-- counts once in each of its areas (`therapeutic_areas`), so areas do not add up to the trials.
select
    a.area_code,
    a.area,
    t.phase,
    t.overall_status,
    count(*) as trials,
    sum(t.enrollment)::bigint as enrollment
from therapeutic_areas as a
join trials as t using (nct_id)
group by all
