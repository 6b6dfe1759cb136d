-- The baseline characteristics of the participants (age, sex, race, region, the trial's own
-- measures): one row per reported value, measure x class x category x group, and one row without a
-- group for a measure, class or category the registry lists without values, so its titles are kept.
select *
from stg_baseline_measurements
