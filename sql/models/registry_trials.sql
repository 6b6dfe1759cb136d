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
        coalesce(s.countries, []) as countries, coalesce(s.country_codes, []) as country_codes,
        coalesce(c.conditions, []) as conditions, coalesce(i.interventions, []) as interventions,
        coalesce(x.secondary_ids, []) as secondary_ids, o.primary_outcome,
        t.last_update_posted as last_refreshed, t.validation_flags as record_flags, t.fetched_at
    from trials as t
    left join (
        select nct_id, list_sort(list(country)) as countries,
               list_sort(list_distinct(list(country_code))) as country_codes
        from (select distinct nct_id, country, country_code from sites where country is not null)
        group by nct_id
    ) as s using (nct_id)
    left join (select nct_id, list(condition) as conditions from conditions group by nct_id) as c using (nct_id)
    left join (select nct_id, list(name) as interventions from interventions group by nct_id) as i using (nct_id)
    left join (select nct_id, list(secondary_id) as secondary_ids from secondary_ids group by nct_id) as x using (nct_id)
    left join (
        select nct_id, string_agg(measure, '; ') as primary_outcome from outcomes where kind = 'primary' group by nct_id
    ) as o using (nct_id)
),
-- the registry's own record over ICTRP's copy, then the latest refreshed; CT.gov's own over any copy
registry_latest as (
    select * from registry_records
    qualify row_number() over (
        partition by registry, trial_id
        order by source not like 'ictrp%' desc, last_refreshed desc nulls last, fetched_at desc
    ) = 1
)
select * from ctgov
union all by name
select * from registry_latest
where not (registry = 'CTGOV' and trial_id in (select nct_id from trials))
