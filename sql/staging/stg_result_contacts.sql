-- result_contacts of the latest version of each trial (made from its document by sql/documents/result_contacts.sql).
select child.* exclude (record_id, run_id)
from raw.result_contacts as child
join stg_trials using (record_id)
