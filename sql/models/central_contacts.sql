-- Whom to contact about the whole trial (AACT's central_contacts): the first is the primary contact, the next the backup.
select nct_id, contact_type, name, role, phone, phone_extension, email
from stg_central_contacts
