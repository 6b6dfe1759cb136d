"""Checks every parsed record passes before the store keeps it.

`conform` rejects a record whose values do not fit the Parquet schema (a string enrollment, a lone
surrogate in a title): such a record would break the whole run at write time, so it is quarantined
instead. `validation_flags` marks values that fit the schema but not the world (a completion date in
2190, a negative enrollment, an unknown status): the record is kept with its raw values and the flags
say what is wrong, as `check:column` strings, so nothing is coerced silently.
"""
import datetime as dt
import itertools

import pyarrow as pa
import pyarrow.compute as pc

from etl.record import CONTENT_COLUMNS, ParseError
from etl.schemas import TABLES
from etl.vocab import VOCABULARIES

# Posted dates are the registry's own bookkeeping: never after the fetch (one day of clock skew).
POSTED_SLACK = dt.timedelta(days=1)
# Planned dates lie ahead, but a trial planned to end more than 20 years on is a typo (2190 for 2019).
PLANNED_HORIZON_YEARS = 20
POSTED_DATES = ("first_posted", "last_update_posted")
PLANNED_DATES = ("start_date", "primary_completion_date", "completion_date")

# Coded column (`table.column`, or a `trials` column) -> its vocabulary in etl/vocab.py.
# sql/tests/accepted_values.sql checks the same columns in the warehouse and skips flagged rows.
VOCABULARY_COLUMNS = {
    "study_type": "study_type", "phases": "phase", "overall_status": "overall_status",
    "enrollment_type": "enrollment_type", "allocation": "allocation",
    "intervention_model": "intervention_model", "primary_purpose": "primary_purpose",
    "masking": "masking", "sex": "sex", "lead_sponsor_class": "agency_class",
    "start_date_precision": "date_precision", "primary_completion_date_precision": "date_precision",
    "completion_date_precision": "date_precision",
    "sponsors.agency_class": "agency_class", "sponsors.role": "sponsor_role",
    "sites.status": "site_status", "interventions.intervention_type": "intervention_type",
    "arm_groups.arm_type": "arm_type", "outcomes.kind": "outcome_kind",
}
_ACCEPTED = {column: frozenset(VOCABULARIES[vocab]) for column, vocab in VOCABULARY_COLUMNS.items()}
_INT64 = (-2 ** 63, 2 ** 63 - 1)


def _is_str(value):
    if not isinstance(value, str):
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")  # a lone surrogate from JSON's \ud800 cannot be written to Parquet
    except UnicodeEncodeError:
        return False
    return True


def _checker(arrow_type):
    if pa.types.is_string(arrow_type):
        return _is_str
    if pa.types.is_int64(arrow_type):
        return lambda v: isinstance(v, int) and not isinstance(v, bool) and _INT64[0] <= v <= _INT64[1]
    if pa.types.is_float64(arrow_type):
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 2 ** 1023
    if pa.types.is_boolean(arrow_type):
        return lambda v: isinstance(v, bool)
    if pa.types.is_date32(arrow_type):
        return lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)
    if pa.types.is_timestamp(arrow_type):
        return lambda v: isinstance(v, dt.datetime)
    if pa.types.is_list(arrow_type):
        item = _checker(arrow_type.value_type)
        return lambda v: isinstance(v, (list, tuple)) and all(x is not None and item(x) for x in v)
    raise TypeError(f"no check for {arrow_type}")


_CHECKS = {table: {field.name: _checker(field.type) for field in schema} for table, schema in TABLES.items()}


def conform(record):
    """Raise ParseError unless `record` has the shape and the value types of the schemas."""
    if not isinstance(record, dict) or not isinstance(record.get("trials"), list) or len(record["trials"]) != 1:
        raise ParseError("not a record: needs exactly one row in trials")
    for table, rows in record.items():
        checks = _CHECKS.get(table)
        if checks is None or not isinstance(rows, list):
            raise ParseError(f"not a record: unknown table {table!r} or rows not a list")
        for row in rows:
            if not isinstance(row, dict):
                raise ParseError(f"{table}: a row is {type(row).__name__}, not a mapping")
            for column, value in row.items():
                check = checks.get(column)
                if value is not None and check is not None and not check(value):
                    raise ParseError(f"{table}.{column}: {value!r:.80} does not fit {TABLES[table].field(column).type}")


# Exact Python types a batch column may hold when every value of it passes `conform`'s checks, given
# that Arrow's conversion to the column's type refuses the rest (strings that are not UTF-8, ints
# over 64 bits). Subclasses (lxml's strings) are not listed: their batch is checked record by record.
_COLUMN_TYPES = {pa.string(): {str}, pa.int64(): {int}, pa.float64(): {int, float}, pa.bool_(): {bool},
                 pa.date32(): {dt.date}, pa.list_(pa.string()): {list, tuple}}


def column_fits(arrow_type, column):
    """True when a batch column (values from several records, None included) holds only values of the
    types `conform` accepts for `arrow_type`, before Arrow converts it; False when it may not."""
    if not set(map(type, column)) <= _COLUMN_TYPES[arrow_type] | {type(None)}:
        return False
    if pa.types.is_list(arrow_type):  # no None among the items
        return set(map(type, itertools.chain.from_iterable(filter(None, column)))) <= {str}
    return True


def array_fits(arrow_type, array):
    """True unless a converted float column holds what `conform` refuses (NaN, infinities, > 2**1023)."""
    if not pa.types.is_float64(arrow_type) or array.null_count == len(array):
        return True
    return pc.all(pc.less(pc.abs(array), 2.0 ** 1023)).as_py() is True


def _known(accepted, is_list):
    if is_list:
        return lambda column: set(map(type, column)) <= {list, type(None)} and \
            set(itertools.chain.from_iterable(filter(None, column))) <= accepted
    return lambda column: set(column) <= accepted


# table -> (position in CONTENT_COLUMNS, check that a whole column holds known codes or None)
_CODE_COLUMNS = {table: [] for table in CONTENT_COLUMNS}
for _column, _accepted in _ACCEPTED.items():
    _table, _, _name = _column.rpartition(".")
    _table = _table or "trials"
    _CODE_COLUMNS[_table].append((CONTENT_COLUMNS[_table].index(_name),
                                  _known(_accepted | {None}, pa.types.is_list(TABLES[_table].field(_name).type))))


def codes_known(table, columns):
    """True when a batch's content columns of `table` (in CONTENT_COLUMNS order, from conforming
    records) hold no unknown coded value: then no record of it has an `unknown_value` flag, which
    `validation_flags(..., codes=False)` can skip looking for (a tenth of the cost per record)."""
    return all(known(columns[at]) for at, known in _CODE_COLUMNS[table])


def _values(record, column):
    table, _, name = column.rpartition(".")
    for row in record.get(table or "trials", ()):
        value = row.get(name)
        yield from (value if isinstance(value, list) else [value])


def validation_flags(record, fetched_at, codes=True):
    """What is implausible in a conforming record, as sorted `check:column` strings; without `codes`,
    unknown coded values are not looked for (`codes_known` found none in the record's batch)."""
    trial = record["trials"][0]
    today = fetched_at.date() if isinstance(fetched_at, dt.datetime) else dt.date.today()
    flags = {f"unknown_value:{column}" for column, accepted in _ACCEPTED.items() if codes
             and any(v is not None and v not in accepted for v in _values(record, column))}
    flags.update(f"future_date:{c}" for c in POSTED_DATES if trial.get(c) and trial[c] > today + POSTED_SLACK)
    horizon = today.replace(year=min(today.year + PLANNED_HORIZON_YEARS, 9999), day=min(today.day, 28))
    flags.update(f"future_date:{c}" for c in PLANNED_DATES if trial.get(c) and trial[c] > horizon)
    if (trial.get("enrollment") or 0) < 0:
        flags.add("negative:enrollment")
    low, high = trial.get("minimum_age_years"), trial.get("maximum_age_years")
    if low is not None and high is not None and low > high:
        flags.add("age_range:minimum_age_years")
    for site in record.get("sites", ()):
        if site.get("country") and site.get("country_code") is None:
            flags.add("unknown_value:sites.country")  # a spelling etl/data/countries.csv lacks
        if site.get("latitude") is not None and not -90 <= site["latitude"] <= 90:
            flags.add("out_of_range:sites.latitude")
        if site.get("longitude") is not None and not -180 <= site["longitude"] <= 180:
            flags.add("out_of_range:sites.longitude")
    return sorted(flags)
