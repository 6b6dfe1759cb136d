-- The latest version of each trial: by last update posted, then by fetch time.
select *
from raw.trials
qualify row_number() over (
    partition by nct_id
    order by last_update_posted desc nulls last, fetched_at desc, record_id desc
) = 1
