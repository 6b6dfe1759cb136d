select nct_id, kind, measure, time_frame, description
from stg_outcomes
