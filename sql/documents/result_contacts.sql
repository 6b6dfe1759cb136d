-- Whom to ask about the results: one row per trial with a results point of contact.
with infos as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.moreInfoModule.pointOfContact', '{
        "title": "VARCHAR", "organization": "VARCHAR", "email": "VARCHAR", "phone": "VARCHAR", "phoneExt": "VARCHAR"
    }') as contact
    from documents
)
select record_id, nct_id, contact.title as name, contact.organization, contact.phone,
       contact.phoneExt as extension, contact.email
from infos
where contact is not null
