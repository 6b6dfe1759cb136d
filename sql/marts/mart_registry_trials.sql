-- Trials of every registry side by side: each trial once, under its preferred registration's registry,
-- by recruitment status (one vocabulary), phase and year of registration, with its registrations counted.
select
    r.registry,
    r.status,
    coalesce(r.phase, 'none') as phase,
    year(r.registration_date) as registration_year,
    count(*) as trials,
    sum(i.registrations)::bigint as registrations,
    sum(r.target_size)::bigint as target_size
from trial_identities as i
join registry_trials as r using (registry, trial_id)
where i.is_preferred
group by all
