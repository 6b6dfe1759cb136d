-- The latest version of each trial (in the order of stg_version_order).
select *
from raw.trials
semi join (select record_id from stg_version_order where is_latest) using (record_id)
