-- drop_withdrawals of the latest version of each trial (made from its document by sql/documents/drop_withdrawals.sql).
select child.* exclude (record_id, run_id)
from raw.drop_withdrawals as child
join stg_trials using (record_id)
