-- Results reporting by lead sponsor class and the year of primary completion: of the trials whose
-- results were due (a year after primary completion, interventional and not withdrawn) by the
-- as-of date, how many have results in the registry and how many are overdue.
select
    t.lead_sponsor_class,
    year(t.primary_completion_date) as primary_completion_year,
    count(*) as trials,
    count(*) filter (where cv.results_due_date <= cv.as_of_date) as results_due,
    count(*) filter (where cv.results_due_date <= cv.as_of_date and cv.were_results_reported) as results_reported,
    count(*) filter (where cv.results_overdue) as results_overdue,
    count(*) filter (where cv.were_results_reported) as with_results
from trials as t
join calculated_values as cv using (nct_id)
where cv.results_due_date is not null
group by all
