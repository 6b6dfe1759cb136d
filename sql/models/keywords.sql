-- The keywords the sponsor chose for each trial.
select nct_id, keyword
from stg_keywords
