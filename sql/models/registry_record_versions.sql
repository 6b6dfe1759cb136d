-- Every stored version of every record of another registry (a run stores a record only when its
-- content changed), oldest first, with the run that stored it: the history of registry_trials' rows.
select
    r.registry, r.trial_id, t.source, t.run_id,
    t.fetched_at, r.last_refreshed, t.content_hash, r.status, r.registry_status, r.target_size,
    row_number() over (partition by t.nct_id order by r.last_refreshed nulls first, t.fetched_at, r.record_id) as version,
    r.record_id = s.record_id as is_current
from raw.registry_records as r
join raw.trials as t using (record_id)
left join stg_registry_records as s on s.store_key = t.nct_id
