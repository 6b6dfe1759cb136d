-- One row per trial site with its trial's phase, status and lead sponsor class, for maps and
-- country dashboards.
-- partition_by: country_code
select
    s.country_code,
    s.country,
    s.nct_id,
    s.facility,
    s.city,
    s.state,
    s.latitude,
    s.longitude,
    s.status as site_status,
    t.overall_status,
    t.phase,
    t.lead_sponsor_class,
    year(t.start_date) as start_year
from sites as s
join trials as t using (nct_id)
