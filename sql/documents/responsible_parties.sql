-- Who is responsible for the trial's registration: the sponsor, or an investigator named here.
select record_id, nct_id, party.type as responsible_party_type,
       party.investigatorFullName as investigator_full_name, party.investigatorTitle as investigator_title,
       party.investigatorAffiliation as investigator_affiliation,
       party.oldNameTitle as name_title, party.oldOrganization as organization
from (
    select record_id, nct_id,
           from_json(json_extract(doc, '$.protocolSection.sponsorCollaboratorsModule.responsibleParty'),
                     '{"type": "VARCHAR", "investigatorFullName": "VARCHAR", "investigatorTitle": "VARCHAR",
                       "investigatorAffiliation": "VARCHAR", "oldNameTitle": "VARCHAR", "oldOrganization": "VARCHAR"}') as party
    from documents
)
where party is not null
