-- A trial's versions are numbered 1..n and follow each other: each is valid until the next starts.
select nct_id, version, valid_from, valid_to
from (
    select *,
        row_number() over by_version as position,
        lead(valid_from) over by_version as next_valid_from
    from trial_versions
    window by_version as (partition by nct_id order by version)
)
where version <> position or valid_to is distinct from next_valid_from or valid_to < valid_from
