-- The groups the results report on: one row per group of the participant flow, the baseline, each
-- outcome (an outcome numbers its own groups) and the adverse events. Ids as the registry gives them:
-- `FG000`, `BG000`, `OG000`, `EG000` from API v2 and bulk JSON, `P1`, `B1`, `O1`, `E1` from legacy XML.
select *
from stg_result_groups
