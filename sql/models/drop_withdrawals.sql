-- Why participants left the trial: one row per period x reason x group, with how many left for it.
select *
from stg_drop_withdrawals
