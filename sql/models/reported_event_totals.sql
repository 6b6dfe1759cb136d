-- Participants affected by any serious or other adverse event, and deaths from any cause, per adverse
-- event group: one row per group x event type the registry gives a total for, with the reporting
-- rules of the trial's adverse events (time frame, description, frequency threshold).
select *
from stg_reported_event_totals
