-- What the sponsor plans to share besides individual participant data (study protocol, SAP, ICF, CSR, analytic code).
select nct_id, name
from stg_ipd_information_types
