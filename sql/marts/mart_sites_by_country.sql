-- Sites and trials by country (ISO 3166-1 alpha-2), with how many sites are recruiting.
select
    country_code,
    any_value(country order by country) as country,
    count(*) as sites,
    count(distinct nct_id) as trials,
    count(*) filter (where status = 'RECRUITING') as recruiting_sites
from sites
where country is not null
group by country_code
