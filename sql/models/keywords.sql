select nct_id, keyword
from stg_keywords
