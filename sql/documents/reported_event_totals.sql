-- Participants affected by any serious or other adverse event, and deaths from any cause, per adverse
-- event group: one row per group x event type the registry gives a total for, with the reporting
-- rules of the trial's adverse events (time frame, description, frequency threshold).
with modules as (
    select record_id, nct_id, json_transform(doc -> '$.resultsSection.adverseEventsModule', '{
        "frequencyThreshold": "VARCHAR", "timeFrame": "VARCHAR", "description": "VARCHAR",
        "allCauseMortalityComment": "VARCHAR",
        "eventGroups": [{"id": "VARCHAR", "deathsNumAffected": "INTEGER", "deathsNumAtRisk": "INTEGER",
            "seriousNumAffected": "INTEGER", "seriousNumAtRisk": "INTEGER",
            "otherNumAffected": "INTEGER", "otherNumAtRisk": "INTEGER"}]
    }') as ae
    from documents
),
event_groups as (
    select record_id, nct_id, ae, unnest(ae.eventGroups) as g from modules
),
totals as (
    select record_id, nct_id, ae, g.id as result_group_id,
           unnest([{'event_type': 'deaths', 'affected': g.deathsNumAffected, 'at_risk': g.deathsNumAtRisk},
                   {'event_type': 'serious', 'affected': g.seriousNumAffected, 'at_risk': g.seriousNumAtRisk},
                   {'event_type': 'other', 'affected': g.otherNumAffected, 'at_risk': g.otherNumAtRisk}]) as t
    from event_groups
)
select record_id, nct_id, result_group_id, t.event_type, t.affected as subjects_affected,
       t.at_risk as subjects_at_risk, ae.timeFrame as time_frame, ae.description,
       ae.frequencyThreshold as frequency_threshold, ae.allCauseMortalityComment as all_cause_mortality_comment
from totals
where t.affected is not null or t.at_risk is not null
