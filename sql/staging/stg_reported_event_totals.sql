-- reported_event_totals of the latest version of each trial (made from its document by sql/documents/reported_event_totals.sql).
select child.* exclude (record_id, run_id)
from raw.reported_event_totals as child
join stg_trials using (record_id)
