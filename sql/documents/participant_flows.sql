-- How participants went through the trial, in words: one row per trial with a participant flow
-- (its milestones and drop-outs are in `milestones` and `drop_withdrawals`).
with flows as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.participantFlowModule', '{
        "recruitmentDetails": "VARCHAR", "preAssignmentDetails": "VARCHAR", "typeUnitsAnalyzed": "VARCHAR"
    }') as flow
    from documents
)
select record_id, nct_id, flow.recruitmentDetails as recruitment_details,
       flow.preAssignmentDetails as pre_assignment_details, flow.typeUnitsAnalyzed as units_analyzed
from flows
where flow is not null
