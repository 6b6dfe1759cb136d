-- Trials started per calendar year and phase.
select
    year(start_date) as start_year,
    phase,
    count(*) as trials,
    sum(enrollment)::bigint as enrollment
from trials
where start_date is not null
group by all
