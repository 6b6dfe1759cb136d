-- One row per trial.
select nct_id, count(*) as copies
from trials
group by nct_id
having count(*) > 1
