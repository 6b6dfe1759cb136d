-- The primary, secondary and other outcome measures of each trial.
select nct_id, kind, measure, time_frame, description
from stg_outcomes
