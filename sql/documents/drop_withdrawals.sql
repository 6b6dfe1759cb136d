-- Why participants left the trial: one row per period x reason x group, with how many left for it.
with flows as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.participantFlowModule.periods', '[{
        "title": "VARCHAR",
        "dropWithdraws": [{"type": "VARCHAR", "comment": "VARCHAR", "reasons": [
            {"groupId": "VARCHAR", "comment": "VARCHAR", "numSubjects": "VARCHAR", "numUnits": "VARCHAR"}]}]
    }]') as periods
    from documents
),
periods as (
    select record_id, nct_id, unnest(periods) as period from flows
),
reasons as (
    select record_id, nct_id, period.title as period, unnest(period.dropWithdraws) as reason from periods
)
-- Counts are whole numbers in the registry; one that is not (none in the shared records) is null.
select record_id, nct_id, period, reason.type as reason, r.groupId as result_group_id,
       try_cast(r.numSubjects as integer) as count, try_cast(r.numUnits as integer) as count_units,
       r.comment as reason_comment, reason.comment as drop_withdraw_comment
from reasons, unnest(reason.reasons) as counted(r)
