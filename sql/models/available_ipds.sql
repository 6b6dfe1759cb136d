-- Individual participant data sets and documents the sponsor says are available, and where (AACT's documents).
select nct_id, document_id, document_type, url, comment
from stg_available_ipds
