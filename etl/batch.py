"""Parses a batch of raw records into Arrow tables: the pure, CPU-bound half of storing a run.

No I/O here, so that `trials import --workers` can run it in other processes; `etl/store.py` compares
the batch with what the data directory holds and writes it.
"""
import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from trials.etl import document_sql
from trials.etl.legacy_to_v2 import study_from_xml
from trials.etl.parsers import READERS
from trials.etl.record import Rejected, Rows, Unreadable, content_hashes
from trials.etl.schemas import STR, TABLES
from trials.etl.validate import validation_flags


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
    return parse_records(raw, [f"{run_id}/{first + position}" for position in range(len(raw))])


def parse_records(raw, record_ids):
    """Parse (source, url, fetched_at, body) tuples, each to be stored as its record id."""
    positions = {}  # each source's records, read by its reader at once
    unreadable = {}
    for position, (source, *_, body) in enumerate(raw):
        if isinstance(body, Unreadable):
            unreadable[position] = body
        else:
            positions.setdefault(source, []).append(position)
    if len(positions) == 1 and not unreadable:
        rows = READERS[raw[0][0]]([body for *_, body in raw])
    else:
        rows = Rows.merged([(READERS[source]([raw[at][3] for at in kept]), kept) for source, kept in positions.items()])
        rows.rejected.update(unreadable)
    return _stored(raw, record_ids, with_derived(rows))


def with_derived(rows):
    """The parsed rows with the tables sql/documents/ derives from their documents.

    The SQL reads every document in the API v2 shape: JSON as stored, XML converted
    (etl/legacy_to_v2.py); a document that cannot be converted makes its record a ParseError."""
    documents = rows.tables["documents"]
    record = documents["_record"].combine_chunks()
    body = documents["body"].combine_chunks()
    xml = np.flatnonzero(pc.equal(documents["format"], "xml").to_numpy(zero_copy_only=False))
    if len(xml):
        converted = []
        for at, text in zip(xml, body.take(pa.array(xml)).to_pylist()):
            try:
                converted.append(json.dumps(study_from_xml(text.encode())))
            except (ValueError, etree.Error) as exc:
                rows.rejected[record[at].as_py()] = Rejected("parse", f"cannot read the XML as a study: {exc}")
                converted.append(None)
        mask = np.zeros(len(body), bool)
        mask[xml] = True
        body = pc.replace_with_mask(body, pa.array(mask), pa.array(converted, STR))
    derived = document_sql.derive(pa.table({"record_id": record.cast(STR), "nct_id": documents["nct_id"],
                                            "doc": pa.ExtensionArray.from_storage(pa.json_(), body)}))
    tables = dict(rows.tables)
    for table, derived_rows in derived.items():
        positions = derived_rows["record_id"].cast(pa.int64())
        tables[table] = derived_rows.drop_columns(["record_id"]).append_column("_record", positions).sort_by("_record")
    if rows.rejected:  # rows of records refused on the way here
        dropped = pa.array(sorted(rows.rejected), pa.int64())
        tables = {table: rows.filter(pc.invert(pc.is_in(rows["_record"], dropped))) for table, rows in tables.items()}
    return Rows(tables, rows.rejected)


def _stored(raw, record_ids, rows):
    """The batch's tables with what the store adds to them: record ids, fetch columns, hashes, flags."""
    tables = rows.tables
    positions = tables["trials"]["_record"]
    record_ids = pa.array(record_ids, STR)
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
    quarantine = [dict(source=raw[at][0], url=raw[at][1], fetched_at=raw[at][2], stage=why.stage, reason=why.reason,
                       payload=why.payload if isinstance(why, Unreadable) else raw[at][3])
                  for at, why in sorted(rows.rejected.items())]
    return ParsedBatch(len(raw), stored, trials, quarantine)
