-- Web pages the sponsor links the trial to (the registry's "see also" links).
select nct_id, url, description
from stg_links
