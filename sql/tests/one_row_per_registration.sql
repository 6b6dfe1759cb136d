-- One row per registration in registry_trials, each in trial_identities once.
select 'registry_trials' as tbl, registry, trial_id, count(*) as copies
from registry_trials group by registry, trial_id having count(*) > 1
union all
select 'trial_identities', registry, trial_id, count(*)
from trial_identities group by registry, trial_id having count(*) > 1
union all
select 'missing from trial_identities', registry, trial_id, 0
from registry_trials anti join trial_identities using (registry, trial_id)
