-- One row per registration of a trial in any registry, on the WHO Trial Registration Data Set: the
-- records of other registries (ICTRP exports, the EU register, one row per country record) and
-- ClinicalTrials.gov's own `trials`. A registration known from several sources (ICTRP's copy of an NCT
-- record and the registry's own) is the registry's own record, else the latest refreshed.
with registry_records as (
    select
        r.registry, r.trial_id, r.source, r.source_url, r.url, r.public_title, r.scientific_title,
        r.acronym, r.primary_sponsor, r.status, r.registry_status, r.phase, r.registry_phase,
        r.study_type, r.registration_date, r.start_date, r.target_size,
        coalesce(v.countries, []) as countries, coalesce(v.country_codes, []) as country_codes,
        coalesce(v.conditions, []) as conditions, coalesce(v.interventions, []) as interventions,
        coalesce(v.secondary_ids, []) as secondary_ids,
        r.primary_outcome, r.last_refreshed, r.record_flags, r.fetched_at
    from stg_registry_records as r
    left join (
        select
            record_id,
            list(value order by rowid) filter (where field = 'country') as countries,
            list(distinct code order by code) filter (where field = 'country' and code is not null) as country_codes,
            list(value order by rowid) filter (where field = 'condition') as conditions,
            list(value order by rowid) filter (where field = 'intervention') as interventions,
            list(value order by rowid) filter (where field = 'secondary_id') as secondary_ids
        from (select *, row_number() over () as rowid from stg_registry_values)
        group by record_id
    ) as v using (record_id)
),
ctgov as (
    select
        'CTGOV' as registry, t.nct_id as trial_id, t.source, t.source_url,
        'https://clinicaltrials.gov/study/' || t.nct_id as url,
        t.brief_title as public_title, t.official_title as scientific_title, t.acronym,
        t.lead_sponsor as primary_sponsor,
        -- the mapping of etl/registry.py STATUSES for ClinicalTrials.gov's values (tests/test_registries.py checks it)
        case t.overall_status
            when 'NOT_YET_RECRUITING' then 'PENDING'
            when 'RECRUITING' then 'RECRUITING'
            when 'ENROLLING_BY_INVITATION' then 'RECRUITING'
            when 'ACTIVE_NOT_RECRUITING' then 'NOT_RECRUITING'
            when 'SUSPENDED' then 'SUSPENDED'
            when 'COMPLETED' then 'COMPLETED'
            when 'TERMINATED' then 'TERMINATED'
            when 'WITHDRAWN' then 'WITHDRAWN'
            when 'UNKNOWN' then 'UNKNOWN'
            else case when t.overall_status is not null then 'OTHER' end
        end as status,
        t.overall_status as registry_status, t.phase, t.phase as registry_phase, t.study_type,
        t.first_posted as registration_date, t.start_date, t.enrollment as target_size,
        coalesce((select list(distinct s.country order by s.country) from sites as s
                  where s.nct_id = t.nct_id and s.country is not null), []) as countries,
        coalesce((select list(distinct s.country_code order by s.country_code) from sites as s
                  where s.nct_id = t.nct_id and s.country_code is not null), []) as country_codes,
        coalesce((select list(c.condition) from conditions as c where c.nct_id = t.nct_id), []) as conditions,
        coalesce((select list(i.name) from interventions as i where i.nct_id = t.nct_id), []) as interventions,
        coalesce((select list(s.secondary_id) from secondary_ids as s where s.nct_id = t.nct_id), []) as secondary_ids,
        (select string_agg(o.measure, '; ') from outcomes as o where o.nct_id = t.nct_id and o.kind = 'primary')
            as primary_outcome,
        t.last_update_posted as last_refreshed, t.validation_flags as record_flags, t.fetched_at
    from trials as t
)
select * exclude (own_source)
from (
    select *, true as own_source from ctgov
    union all by name
    select *, source not like 'ictrp%' as own_source from registry_records
)
qualify row_number() over (
    partition by registry, trial_id
    order by own_source desc, last_refreshed desc nulls last, fetched_at desc
) = 1
