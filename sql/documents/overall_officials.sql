-- The trial's overall officials (principal investigators, study chairs and directors): name, role, affiliation.
select record_id, nct_id, official.name, official.role, official.affiliation
from (
    select record_id, nct_id, unnest(from_json(json_extract(doc, '$.protocolSection.contactsLocationsModule.overallOfficials'),
                                              '[{"name": "VARCHAR", "role": "VARCHAR", "affiliation": "VARCHAR"}]')) as official
    from documents
)
