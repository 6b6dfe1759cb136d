-- The participant flow's milestones (STARTED, COMPLETED, NOT COMPLETED and the trial's own): one row
-- per period x milestone x group, with the number of participants that reached it.
select *
from stg_milestones
