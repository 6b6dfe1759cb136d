-- Records that could not be parsed or validated, with the run that met them and the raw payload.
select
    run_id,
    source, url, fetched_at, stage, reason, payload
from raw.quarantine
