-- Each sponsor's trials by role, phase and status, with their total enrollment; a sponsor is an
-- organization under its canonical name (sponsor_names), whatever spellings the registry used.
select
    s.sponsor,
    s.agency_class,
    s.role,
    t.phase,
    t.overall_status,
    count(*) as trials,
    sum(t.enrollment)::bigint as enrollment
from (select distinct canonical_name as sponsor, agency_class, role, nct_id from sponsors) as s
join trials as t using (nct_id)
group by all
