-- The statistical analyses of the outcomes: one row per analysis, with the groups it compares, its
-- method, p-value, estimate and confidence interval.
select *
from stg_outcome_analyses
