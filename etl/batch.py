"""Parses a batch of raw records into Arrow tables: the pure, CPU-bound half of storing a run.

No I/O here, so that `trials import --workers` can run it in other processes; `etl/store.py` compares
the batch with what the data directory holds and writes it.
"""
import gc
from dataclasses import dataclass

import pyarrow as pa

from etl.ctgov_json import read_studies
from etl.parsers import PARSERS
from etl.record import CONTENT_COLUMNS, CONTENT_SCHEMAS, ParseError, Rejected, Rows, content_hashes
from etl.schemas import STR, TABLES
from etl.validate import array_fits, column_fits, conform, validation_flags

# Sources whose parser reads a whole batch at once into tables (the rest parse record by record).
BATCH_READERS = {"ctgov_api": read_studies, "ctgov_bulk": read_studies}


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
    """
    # A batch allocates many small objects and no reference cycles: the cycle collector would
    # rescan the growing row lists again and again, so it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse_batch(raw, run_id, first)
    finally:
        if collecting:
            gc.enable()


def _parse_batch(raw, run_id, first):
    readers = {BATCH_READERS.get(source) for source, *_ in raw}
    if len(readers) == 1 and None not in readers:
        rows = readers.pop()([body for *_, body in raw])
    else:
        rows = _rows_of_records(raw)
    return _stored(raw, run_id, first, rows)


def _stored(raw, run_id, first, rows):
    """The batch's tables with what the store adds to them: record ids, fetch columns, hashes, flags."""
    tables = rows.tables
    positions = tables["trials"]["_record"]
    record_ids = pa.array([f"{run_id}/{first + position}" for position in range(len(raw))], STR)
    hashes = pa.array(content_hashes(tables, len(raw)), STR).take(positions)
    fetched_at = [fetched for _, _, fetched, _ in raw]
    flags, flagged = validation_flags(tables, fetched_at)
    fetch_columns = {
        "record_id": record_ids.take(positions),
        "source": pa.array([source for source, *_ in raw], STR).take(positions),
        "source_url": pa.array([url for _, url, *_ in raw], STR).take(positions),
        "fetched_at": pa.array(fetched_at, TABLES["trials"].field("fetched_at").type).take(positions),
        "content_hash": hashes, "validation_flags": flags}
    stored = {}
    for table, schema in TABLES.items():
        columns = tables[table]
        added = fetch_columns if table == "trials" else {"record_id": record_ids.take(columns["_record"])}
        stored[table] = pa.Table.from_arrays(
            [added[name] if name in added else columns[name] for name in schema.names], schema=schema)
    trials = list(zip(stored["trials"]["record_id"].to_pylist(), stored["trials"]["nct_id"].to_pylist(),
                      hashes.to_pylist(), flagged.tolist()))
    quarantine = [dict(source=raw[at][0], url=raw[at][1], fetched_at=raw[at][2], stage=why.stage,
                       reason=why.reason, payload=raw[at][3]) for at, why in sorted(rows.rejected.items())]
    return ParsedBatch(len(raw), stored, trials, quarantine)


def _rows_of_records(raw):
    """Rows of a batch parsed record by record by the sources' parsers."""
    parsed = []
    rejected = {}
    for position, (source, url, _, body) in enumerate(raw):
        try:
            parsed.append((position, PARSERS[source](body, url)))
        except ParseError as exc:
            rejected[position] = Rejected("parse", str(exc))
    # Checking each value of each record against the schema (`conform`) costs a fifth of parsing it:
    # the batch's columns are checked at once instead, and only a batch where a column does not fit
    # is checked record by record, so the same records are quarantined, with conform's reasons.
    columns = _columns(parsed, checked=False)
    if columns is _UNFIT:
        conforming = []
        for position, record in parsed:
            try:
                conform(record)
                conforming.append((position, record))
            except ParseError as exc:
                rejected[position] = Rejected("validate", str(exc))
        columns = _columns(conforming, checked=True)
    return Rows.of(columns, rejected)


_UNFIT = "a value may not fit the schema"


def _columns(records, checked):
    """table -> column -> Arrow array of the (position, record) pairs' rows, `_record` included;
    `_UNFIT` when they are not `checked` by conform and a column may not fit the schema."""
    if not (checked or all(_plain(record) for _, record in records)):
        return _UNFIT
    rows = {table: [] for table in TABLES}
    owners = {table: [] for table in TABLES}
    for position, record in records:
        for table, columns in CONTENT_COLUMNS.items():
            table_rows = record[table] if table in record else ()
            rows[table] += [tuple(map(row.get, columns)) for row in table_rows]
            owners[table] += [position] * len(table_rows)
    arrays = {}
    for table, schema in CONTENT_SCHEMAS.items():
        names = CONTENT_COLUMNS[table]
        columns = dict(zip(names, zip(*rows[table]) if rows[table] else [()] * len(names)))
        if not (checked or all(column_fits(schema.field(name).type, column) for name, column in columns.items())):
            return _UNFIT
        try:
            arrays[table] = {name: pa.array(column, schema.field(name).type) for name, column in columns.items()}
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError):
            if checked:
                raise
            return _UNFIT  # a string that is not UTF-8, an int over 64 bits
        if not (checked or all(array_fits(schema.field(name).type, array) for name, array in arrays[table].items())):
            return _UNFIT
        arrays[table]["_record"] = pa.array(owners[table], pa.int64())
    return arrays


def _plain(record):
    """The shape `conform` asks of a record, checked cheaply: a dict of known tables, lists of dict
    rows, one of them in trials (its values are checked a batch column at a time)."""
    return type(record) is dict and record.keys() <= TABLES.keys() and \
        set(map(type, record.values())) <= {list} and len(record.get("trials", ())) == 1 and \
        all(set(map(type, rows)) <= {dict} for rows in record.values())
