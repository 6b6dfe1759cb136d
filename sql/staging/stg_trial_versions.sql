-- Every stored version of every trial (a run stores a trial only when its content changed), with its
-- place in the trial's order of versions (stg_version_order) and its number of sites.
select
    t.*,
    v.version_order,
    coalesce(s.number_of_sites, 0) as number_of_sites
from raw.trials as t
join stg_version_order as v using (record_id)
left join (select record_id, count(*) as number_of_sites from raw.sites group by record_id) as s using (record_id)
