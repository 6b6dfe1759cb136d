-- Whom to contact at each site (role CONTACT), tied to the site by (nct_id, site_id).
select record_id, nct_id, site_id, contact.name, contact.role, contact.phone, contact.phoneExt as phone_extension, contact.email
from (
    select record_id, nct_id, site_id, unnest(site.contacts) as contact
    from (
        select record_id, nct_id, unnest(sites) as site, generate_subscripts(sites, 1) as site_id
        from (select record_id, nct_id,
                     from_json(json_extract(doc, '$.protocolSection.contactsLocationsModule.locations'),
                               '[{"contacts": [{"name": "VARCHAR", "role": "VARCHAR", "phone": "VARCHAR", "phoneExt": "VARCHAR", "email": "VARCHAR"}]}]') as sites
              from documents)
    )
)
where coalesce(contact.role, 'CONTACT') = 'CONTACT'
