-- The outcome measures as reported with the results (AACT's `outcomes`; `outcomes` here is the
-- protocol's planned outcome list): one row per outcome, numbered in registry order by outcome_number,
-- the key its groups, values, counts and analyses share.
select *
from stg_result_outcomes
