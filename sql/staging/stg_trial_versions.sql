-- Every stored version of every trial (a run stores a trial only when its content changed), with the
-- run that stored it and its number of sites.
select
    t.*,
    regexp_extract(t.filename, '([^/\\]+)[/\\]trials\.parquet$', 1) as run_id,
    coalesce(s.number_of_sites, 0) as number_of_sites
from raw.trials as t
left join (select record_id, count(*) as number_of_sites from raw.sites group by record_id) as s using (record_id)
anti join raw.registry_records as registry using (record_id)
