"""Parses a batch of raw records into Arrow tables: the pure, CPU-bound half of storing a run.

No I/O here, so that `trials import --workers` can run it in other processes; `etl/store.py` compares
the batch with what the data directory holds and writes it.
"""
import gc
from dataclasses import dataclass

import pyarrow as pa

from etl.parsers import PARSERS
from etl.record import CONTENT_COLUMNS, ParseError, content_hash, content_values
from etl.schemas import STR, TABLES
from etl.validate import array_fits, codes_known, column_fits, conform, validation_flags


@dataclass
class ParsedBatch:
    """Raw records parsed into Arrow tables, before the store compares them with what it holds."""
    fetched: int
    tables: dict  # table -> pa.Table of the batch's rows, trials included
    trials: list  # (record_id, nct_id, content_hash, flagged) per parsed record, in input order
    quarantine: list  # RunWriter.quarantine keyword arguments, one per record that did not parse


def parse_batch(raw, run_id, first):
    """Parse (source, url, fetched_at, body) tuples; record ids number them from `first`.

    A pure function of its input, so that `trials import --workers` can run it in other processes.
    Rows are gathered as tuples in schema order and turned into Arrow columns at once (far cheaper
    than a dict per row through `Table.from_pylist`).
    """
    # A batch allocates millions of small objects and no reference cycles: the cycle collector
    # would rescan the growing row lists again and again (a fifth of the parse time), so it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_batch(raw, run_id, first)
    finally:
        if collecting:
            gc.enable()


def _parse_batch(raw, run_id, first):
    parsed = []
    quarantine = []  # (number, RunWriter.quarantine arguments)
    for number, (source, url, fetched_at, body) in enumerate(raw, first):
        try:
            parsed.append((number, source, url, fetched_at, PARSERS[source](body, url)))
        except ParseError as exc:
            quarantine.append((number, dict(source=source, url=url, fetched_at=fetched_at, stage="parse",
                                            reason=str(exc), payload=body)))
    # Checking each value of each record against the schema (`conform`) costs a fifth of parsing it:
    # the batch's columns are checked at once instead, and only a batch where a column does not fit
    # is checked record by record, so the same records are quarantined, with conform's reasons.
    built = _tables(parsed, run_id, codes=False, checked=False)
    if built is _UNFIT:
        conforming = []
        for number, source, url, fetched_at, record in parsed:
            try:
                conform(record)
                conforming.append((number, source, url, fetched_at, record))
            except ParseError as exc:
                quarantine.append((number, dict(source=source, url=url, fetched_at=fetched_at, stage="validate",
                                                reason=str(exc), payload=raw[number - first][3])))
        parsed = conforming
        built = _tables(parsed, run_id, codes=False, checked=True)
    # Looking up each coded value of each record costs a third of parsing it: the batch's code columns
    # are checked at once instead, and only a batch holding an unknown code is flagged record by record.
    if built is _UNKNOWN_CODE:
        built = _tables(parsed, run_id, codes=True, checked=True)
    tables, trials = built
    return ParsedBatch(len(raw), tables, trials, [row for _, row in sorted(quarantine, key=lambda q: q[0])])


_UNFIT = "a value may not fit the schema"
_UNKNOWN_CODE = "an unknown coded value"


def _tables(records, run_id, codes, checked):
    """(tables, trials) of the parsed records; `_UNFIT` when they are not `checked` by conform and a
    column may not fit the schema, `_UNKNOWN_CODE` when `codes` is off and the batch holds an unknown
    coded value (its records' `unknown_value` flags were not looked for)."""
    if not (checked or all(_plain(record) for *_, record in records)):
        return _UNFIT
    values = []
    rows = {table: [] for table in TABLES}
    record_ids = {table: [] for table in TABLES}
    for number, *_, record in records:
        values.append(content_values(record))
        record_id = f"{run_id}/{number}"
        for table, table_rows in values[-1].items():
            if table_rows:
                rows[table] += table_rows
                record_ids[table] += [record_id] * len(table_rows)
    arrays = {}  # table -> column -> pa.Array, the content columns and record_id
    for table, schema in TABLES.items():
        columns = dict(zip(CONTENT_COLUMNS[table], zip(*rows[table]) if rows[table] else
                           [()] * len(CONTENT_COLUMNS[table])))
        if not (checked or all(column_fits(schema.field(name).type, column) for name, column in columns.items())):
            return _UNFIT
        if not codes and rows[table] and not codes_known(table, list(columns.values())):
            return _UNKNOWN_CODE
        try:
            arrays[table] = {name: pa.array(column, schema.field(name).type) for name, column in columns.items()}
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError):
            if checked:
                raise
            return _UNFIT  # a string that is not UTF-8, an int over 64 bits
        if not (checked or all(array_fits(schema.field(name).type, array) for name, array in arrays[table].items())):
            return _UNFIT
        arrays[table]["record_id"] = pa.array(record_ids[table], STR)
    store = []  # the columns of `trials` the store adds: fetch metadata, hash, validation flags
    trials = []
    for (number, source, url, fetched_at, record), content in zip(records, values):
        record_id = f"{run_id}/{number}"
        digest = content_hash(record, content)
        flags = validation_flags(record, fetched_at, codes)
        trials.append((record_id, record["trials"][0]["nct_id"], digest, bool(flags)))
        store.append((source, url, fetched_at, digest, flags))
    trial_schema = TABLES["trials"]
    names = ("source", "source_url", "fetched_at", "content_hash", "validation_flags")
    arrays["trials"].update((name, pa.array(column, trial_schema.field(name).type))
                            for name, column in zip(names, zip(*store) if store else ((),) * len(names)))
    tables = {table: pa.Table.from_arrays([arrays[table][f.name] for f in schema], schema=schema)
              for table, schema in TABLES.items()}
    return tables, trials


def _plain(record):
    """The shape `conform` asks of a record, checked cheaply: a dict of known tables, lists of dict
    rows, one of them in trials (its values are checked a batch column at a time)."""
    return type(record) is dict and record.keys() <= TABLES.keys() and \
        set(map(type, record.values())) <= {list} and len(record.get("trials", ())) == 1 and \
        all(set(map(type, rows)) <= {dict} for rows in record.values())
