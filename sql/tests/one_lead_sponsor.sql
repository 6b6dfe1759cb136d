-- A trial has at most one lead sponsor, and it is the one named in `trials`.
select t.nct_id, count(s.nct_id) as leads
from trials as t
left join sponsors as s on s.nct_id = t.nct_id and s.role = 'lead'
where t.lead_sponsor is not null
group by t.nct_id
having count(s.nct_id) <> 1
