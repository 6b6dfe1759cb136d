-- Trials by condition × phase × overall status, for the condition dashboards.
-- partition_by: phase
select
    c.condition,
    t.phase,
    t.overall_status,
    count(distinct t.nct_id) as trials,
    sum(t.enrollment)::bigint as enrollment
from conditions as c
join trials as t using (nct_id)
group by all
