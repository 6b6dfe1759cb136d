-- Whether the investigators may publish the results freely: one row per trial that says.
select *
from stg_result_agreements
