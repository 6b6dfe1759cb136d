-- How participants went through the trial, in words: one row per trial with a participant flow
-- (its milestones and drop-outs are in `milestones` and `drop_withdrawals`).
select *
from stg_participant_flows
