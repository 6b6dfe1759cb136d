-- The results of the outcome measures: one row per reported value, outcome x class x category x
-- group, with the outcome's title, type, time frame, units and statistic; and one row without a group
-- for a class or category the registry lists without values, so its titles are kept.
select *
from stg_outcome_measurements
