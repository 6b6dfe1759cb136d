-- How many participants (or other units) the baseline counts: one row per units x group for the whole
-- baseline (scope `overall`), and where the registry gives them per measure (`measure`) and per class
-- of a measure (`class`), with the baseline's population description.
select *
from stg_baseline_counts
