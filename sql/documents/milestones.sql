-- The participant flow's milestones (STARTED, COMPLETED, NOT COMPLETED and the trial's own): one row
-- per period x milestone x group, with the number of participants that reached it.
with flows as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.participantFlowModule.periods', '[{
        "title": "VARCHAR",
        "milestones": [{"type": "VARCHAR", "comment": "VARCHAR", "achievements": [
            {"groupId": "VARCHAR", "comment": "VARCHAR", "numSubjects": "VARCHAR", "numUnits": "VARCHAR"}]}]
    }]') as periods
    from documents
),
periods as (
    select record_id, nct_id, unnest(periods) as period from flows
),
milestones as (
    select record_id, nct_id, period.title as period, unnest(period.milestones) as milestone from periods
)
-- Counts are whole numbers in the registry; one that is not (none in the shared records) is null.
select record_id, nct_id, period, milestone.type as title, a.groupId as result_group_id,
       try_cast(a.numSubjects as integer) as count, try_cast(a.numUnits as integer) as count_units,
       a.comment as description, milestone.comment as milestone_description
from milestones, unnest(milestone.achievements) as achieved(a)
