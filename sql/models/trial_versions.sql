-- Every distinct version of every trial, type 2: valid from its last update posted on the registry
-- until the next version's (valid_to exclusive, null for the current version, the one in `trials`).
-- Versions are in the order of stg_version_order; a version stored again with the same content
-- right after itself (an older snapshot imported later, say) is the same version, kept once.
with ordered as (
    select *, lag(content_hash) over by_update as previous_hash
    from stg_trial_versions
    window by_update as (partition by nct_id order by version_order)
),
dated as (
    select
        *,
        -- running max, so that a version without a last update date never starts before its predecessor
        max(coalesce(last_update_posted, fetched_at::date)) over (
            partition by nct_id order by version_order
            rows between unbounded preceding and current row
        ) as valid_from
    from ordered
    where previous_hash is distinct from content_hash
)
select
    nct_id,
    row_number() over by_update as version,
    valid_from,
    lead(valid_from) over by_update as valid_to,
    lead(valid_from) over by_update is null as is_current,
    last_update_posted,
    fetched_at as first_seen_at,
    run_id,
    source,
    content_hash,
    brief_title,
    overall_status,
    why_stopped,
    enrollment,
    enrollment_type,
    phase,
    start_date,
    primary_completion_date,
    completion_date,
    number_of_sites,
    lead_sponsor,
    lead_sponsor_class
from dated
window by_update as (partition by nct_id order by version_order)
