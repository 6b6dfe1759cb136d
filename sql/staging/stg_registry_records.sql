-- The latest version of each record of another registry (etl/ictrp.py, etl/euctr.py): per store key
-- (`<source family>:<trial id>`), by the registry's last refresh, then by fetch time.
select
    r.* exclude (run_id),
    t.nct_id as store_key, t.source, t.source_url, t.fetched_at, t.content_hash
from raw.registry_records as r
join raw.trials as t using (record_id)
qualify row_number() over (
    partition by t.nct_id
    order by r.last_refreshed desc nulls last, t.fetched_at desc, r.record_id desc
) = 1
