-- Every coded column holds a value of its vocabulary (the `vocabularies` table, from etl/vocab.py),
-- unless the trial carries the flag `unknown_value:<column>` (etl/validate.py): the raw value is kept
-- and flagged on purpose. An unflagged unknown value still fails the build. `coded_values` is made by
-- the build from etl/validate.py's VOCABULARY_COLUMNS: one row per value of a coded column.
select o.vocabulary, o.value, count(*) as rows
from coded_values as o
anti join vocabularies as v using (vocabulary, value)
left join trials as t using (nct_id)
where o.value is not null
    and not coalesce(list_contains(t.validation_flags, 'unknown_value:' || o.col), false)
group by all
