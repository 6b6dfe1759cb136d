-- Who is responsible for the trial's registration: the sponsor, or an investigator named here.
select nct_id, responsible_party_type, investigator_full_name, investigator_title, investigator_affiliation, name_title, organization
from stg_responsible_parties
