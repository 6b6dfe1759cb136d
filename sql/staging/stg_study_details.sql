-- The details of the latest version of each trial (sql/documents/study_details.sql); the `trials` model holds them.
select child.* exclude (record_id)
from raw.study_details as child
join stg_trials using (record_id)
