-- reported_events of the latest version of each trial (made from its document by sql/documents/reported_events.sql).
select child.* exclude (record_id, run_id)
from raw.reported_events as child
join stg_trials using (record_id)
