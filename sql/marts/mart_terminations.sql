-- One row per trial that stopped early (terminated, withdrawn or suspended) with the registry's
-- why_stopped, its lead sponsor (canonical name), phase and enrollment, and when the history saw the
-- status change (null when the trial was first seen already stopped).
select
    t.nct_id,
    t.overall_status,
    t.why_stopped,
    t.phase,
    s.canonical_name as lead_sponsor,
    t.lead_sponsor_class,
    year(t.start_date) as start_year,
    t.enrollment,
    t.enrollment_type,
    (select max(c.changed_at) from trial_changes as c
     where c.nct_id = t.nct_id and c.field = 'overall_status' and c.new_value = t.overall_status) as stopped_on
from trials as t
left join sponsors as s on s.nct_id = t.nct_id and s.role = 'lead'
where t.overall_status in ('TERMINATED', 'WITHDRAWN', 'SUSPENDED')
