-- Each sponsor's trials by role, phase and status, with their total enrollment.
select
    s.name as sponsor,
    s.agency_class,
    s.role,
    t.phase,
    t.overall_status,
    count(distinct t.nct_id) as trials,
    sum(t.enrollment)::bigint as enrollment
from sponsors as s
join trials as t using (nct_id)
group by all
