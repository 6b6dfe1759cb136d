-- Each trial has exactly one preferred registration, and one key: two registrations of one registry
-- under one trial_key are the EU register's country records of one EudraCT number, never two trials.
select trial_key, 'preferred registrations' as what, count(*) filter (where is_preferred) as n
from trial_identities group by trial_key having count(*) filter (where is_preferred) <> 1
union all
select trial_key, 'own ids of ' || registry, count(distinct own_id)
from (select l.trial_key, l.registry, l.identifier as own_id from trial_identity_links as l where l.declared_as = 'own')
group by trial_key, registry having count(distinct own_id) > 1
