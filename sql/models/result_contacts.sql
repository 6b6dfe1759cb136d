-- Whom to ask about the results: one row per trial with a results point of contact.
select *
from stg_result_contacts
