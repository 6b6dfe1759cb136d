-- The adverse events: one row per event term x group, serious and other events alike, with how many
-- participants it affected among how many at risk, and how many times it occurred.
select *
from stg_reported_events
