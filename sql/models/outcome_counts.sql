-- How many participants (or other units) each outcome analyzed: one row per outcome x units x group,
-- for the whole measure (scope `measure`) and, where the registry gives them, per class (`class`).
select *
from stg_outcome_counts
