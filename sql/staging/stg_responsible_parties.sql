-- Responsible parties of the latest version of each trial.
select child.nct_id, child.responsible_party_type, child.investigator_full_name, child.investigator_title, child.investigator_affiliation, child.name_title, child.organization
from raw.responsible_parties as child
join stg_trials using (record_id)
