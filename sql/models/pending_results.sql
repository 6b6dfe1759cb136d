-- Results submitted to the registry but not yet posted: each submission, its return by the quality control, its cancellation.
select nct_id, event, event_date_description, event_date
from stg_pending_results
