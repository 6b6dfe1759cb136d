-- participant_flows of the latest version of each trial (made from its document by sql/documents/participant_flows.sql).
select child.* exclude (record_id, run_id)
from raw.participant_flows as child
join stg_trials using (record_id)
