-- Whom to contact about the whole trial (AACT's central_contacts): the first is the primary contact, the next the backup.
select record_id, nct_id,
       case when contact_number = 1 then 'primary' else 'backup' end as contact_type,
       contact.name, contact.role, contact.phone, contact.phoneExt as phone_extension, contact.email
from (
    select record_id, nct_id, unnest(contacts) as contact, generate_subscripts(contacts, 1) as contact_number
    from (select record_id, nct_id,
                 from_json(json_extract(doc, '$.protocolSection.contactsLocationsModule.centralContacts'),
                           '[{"name": "VARCHAR", "role": "VARCHAR", "phone": "VARCHAR", "phoneExt": "VARCHAR", "email": "VARCHAR"}]') as contacts
          from documents)
)
