-- One row per registration (registry, trial_id) with the key of the trial it registers: registrations
-- linked by the ids they declare (trial_identity_links, connected components) share a trial_key, the
-- smallest own id among them, so `count(distinct trial_key)` counts real trials. `is_preferred` marks
-- one registration per trial, as ctrdata's isUniqueTrial: ClinicalTrials.gov, then the EU register
-- (CTIS, then EUCTR), ISRCTN, then any other; the latest refreshed; the smallest id.
select
    l.trial_key, l.registry, l.trial_id, r.url,
    row_number() over (
        partition by l.trial_key
        order by case l.registry when 'CTGOV' then 1 when 'CTIS' then 2 when 'EUCTR' then 3 when 'ISRCTN' then 4 else 5 end,
                 r.last_refreshed desc nulls last, l.trial_id
    ) = 1 as is_preferred,
    count(*) over (partition by l.trial_key) as registrations
from (select distinct trial_key, registry, trial_id from trial_identity_links) as l
join registry_trials as r using (registry, trial_id)
