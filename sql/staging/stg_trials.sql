-- The latest version of each trial: by last update posted, then by fetch time.
-- The version is chosen on the narrow key columns, then its wide row is read: ranking whole rows
-- (long text included) held all of them in memory at once at registry scale.
-- Records of other registries have a `trials` row for the store only (see registry_trials).
with latest as (
    select record_id
    from raw.trials
    anti join raw.registry_records using (record_id)
    qualify row_number() over (
        partition by nct_id
        order by last_update_posted desc nulls last, fetched_at desc, record_id desc
    ) = 1
)
select *
from raw.trials
semi join latest using (record_id)
