-- Whether the investigators may publish the results freely: one row per trial that says.
with infos as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.moreInfoModule.certainAgreement', '{
        "piSponsorEmployee": "BOOLEAN", "restrictionType": "VARCHAR", "restrictiveAgreement": "BOOLEAN",
        "otherDetails": "VARCHAR"
    }') as agreement
    from documents
)
select record_id, nct_id, agreement.piSponsorEmployee as pi_employee,
       agreement.restrictiveAgreement as restrictive_agreement, agreement.restrictionType as restriction_type,
       agreement.otherDetails as other_details
from infos
where agreement is not null
