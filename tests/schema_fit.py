"""`conform`: whether a parsed record (table -> rows, as `parse_record` of etl/parsers.py returns it)
has the tables and the value types of the Parquet schemas. The tests' oracle of a record's
shape: the parsers build Arrow tables against those schemas, so the store itself needs no such check.
"""
import datetime as dt

import pyarrow as pa

from trials.etl.record import ParseError
from trials.etl.schemas import TABLES

_INT64 = (-2 ** 63, 2 ** 63 - 1)
_INT32 = (-2 ** 31, 2 ** 31 - 1)


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
    if pa.types.is_int32(arrow_type):
        return lambda v: isinstance(v, int) and not isinstance(v, bool) and _INT32[0] <= v <= _INT32[1]
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
