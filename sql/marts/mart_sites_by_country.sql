-- Sites and trials by country (ISO 3166-1 alpha-2). Recruiting is the trial's word, not the site's:
-- a trial counts as recruiting when calculated_values says it is effectively recruiting (its overall
-- status recruiting and its primary completion not passed as of its as-of date); a site whose own
-- status reads RECRUITING under a trial that is not (UNKNOWN, overdue, completed) does not count.
select
    s.country_code,
    any_value(s.country order by s.country) as country,
    count(*) as sites,
    count(distinct s.nct_id) as trials,
    count(distinct s.nct_id) filter (where cv.effectively_recruiting) as recruiting_trials,
    count(*) filter (where cv.effectively_recruiting and s.status in ('RECRUITING', 'ENROLLING_BY_INVITATION'))
        as recruiting_sites
from sites as s
join calculated_values as cv using (nct_id)
where s.country is not null
group by s.country_code
