-- The order of each trial's stored versions, the one rule for which version is the latest: by last
-- update posted (none first), then by fetch time, then by record id (a run's records in order).
-- On the narrow key columns: ranking whole rows (long text included) held all of them in memory at
-- once at registry scale. Records of other registries have a `trials` row for the store only (their
-- versions are registry_record_versions), so they are no trial's version here.
select
    record_id,
    row_number() over by_trial as version_order,
    row_number() over by_trial = count(*) over (partition by nct_id) as is_latest
from raw.trials
anti join raw.registry_records using (record_id)
window by_trial as (partition by nct_id order by last_update_posted nulls first, fetched_at, record_id)
