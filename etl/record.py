"""The normalized record every parser returns: table name -> rows, exactly one row in `trials`.

Parsers fill the content columns; the store adds the fetch metadata (record_id, source, source_url,
fetched_at) and the content hash, so the same trial parses to the same record however it arrived.
"""
import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from trials.etl.schemas import PARSED, REGISTRY_TABLES, TABLES

NCT_ID = re.compile(r"^NCT\d{8}$")
FETCH_COLUMNS = ("record_id", "source", "source_url", "fetched_at", "content_hash")
# Validation flags depend on the fetch date too (a date "in the future"), so they are no content.
STORE_COLUMNS = (*FETCH_COLUMNS, "validation_flags")
CONTENT_COLUMNS = {table: [c for c in schema.names if c not in STORE_COLUMNS] for table, schema in TABLES.items()}


class ParseError(ValueError):
    """Input that cannot become a record; the message is the reason stored in quarantine."""


@dataclass
class Rejected:
    """Why a record of a batch cannot be kept: the stage that refused it (`parse`, `validate`; an
    Unreadable's `read` or `page`) and why."""
    stage: str
    reason: str


@dataclass
class Unreadable(Rejected, Exception):
    """A raw record's body when it could not even be read (a corrupt zip member, a page of studies that
    cannot be split): the batch refuses it before parsing and quarantines `payload`, what could be
    read of it. Raised where the reading fails, and handed on as the body it stands for."""
    payload: bytes = b""

    def __str__(self):
        return self.reason


@dataclass
class Rows:
    """A batch's records as tables: table -> Arrow table of its CONTENT_COLUMNS and `_record`, the
    position in the batch of the record each row came from (ascending). The records that could not
    be kept have no rows; `rejected` maps their positions to why."""
    tables: dict
    rejected: dict

    @classmethod
    def of(cls, columns, rejected):
        """Rows from table -> column name -> Arrow array, the rejected records' rows dropped. A table a
        reader does not give has no rows: each source fills the tables it has (etl/schemas.py)."""
        dropped = pa.array(sorted(rejected), pa.int64())
        tables = {}
        for table, schema in PARSED_SCHEMAS.items():
            if table not in columns:
                tables[table] = schema.empty_table()
                continue
            rows = pa.Table.from_arrays([columns[table][name] for name in schema.names], schema=schema)
            tables[table] = rows.filter(pc.invert(pc.is_in(rows["_record"], dropped))) if rejected else rows
        return cls(tables, rejected)

    @classmethod
    def merged(cls, parts):
        """One Rows from (rows, positions) parts, each part's records at `positions` of the batch."""
        tables, rejected = {}, {}
        for table, schema in PARSED_SCHEMAS.items():
            moved = [rows.tables[table].set_column(
                rows.tables[table].schema.get_field_index("_record"), "_record",
                pa.array(np.asarray(positions, np.int64)[rows.tables[table]["_record"].to_numpy()]))
                for rows, positions in parts]
            tables[table] = pa.concat_tables(moved or [schema.empty_table()]).sort_by("_record")  # a stable sort
        for rows, positions in parts:
            rejected.update({positions[at]: why for at, why in rows.rejected.items()})
        return cls(tables, rejected)


CONTENT_SCHEMAS = {table: pa.schema([*(schema.field(name) for name in CONTENT_COLUMNS[table]), ("_record", pa.int64())])
                   for table, schema in TABLES.items()}
# What a parser returns; etl/batch.py adds the tables the SQL derives from the documents.
PARSED_SCHEMAS = {table: CONTENT_SCHEMAS[table] for table in PARSED}
# The hash is of what the record says, every table of it, not of how its document is spelled.
HASHED = [table for table in TABLES if table != "documents"]


def read_halving(read, items, refused, errors):
    """[(position of the first item, part)] of a batch of items: read(items) if it takes them all; if it
    raises one of `errors`, the items are halved and read again, until those it refuses are found alone,
    each given refused(position, exception) as its part. Nothing refused costs one read."""
    def halving(items, first):
        try:
            return [(first, read(items))]
        except errors as exc:
            if len(items) <= 1:
                return [(first, refused(first, exc))]
            half = len(items) // 2
            return halving(items[:half], first) + halving(items[half:], first + half)
    return halving(items, 0)


def single_record(rows):
    """The record of a batch of one as table -> rows (dicts of the content columns); ParseError with
    the reason when it was refused. Its stored document is how it was spelled, not what it says: left out."""
    if rows.rejected:
        raise ParseError(rows.rejected[0].reason)
    return {table: table_rows.drop_columns(["_record"]).to_pylist() for table, table_rows in rows.tables.items()
            if table != "documents"}


def content_hashes(tables, count):
    """For each record position 0..count-1 of a batch's tables, a hash of its rows' content.

    What the registry says about the trial, blind to how and when it was fetched: the values of each
    row between unit separators (a null as a record separator), the rows of a table between group
    separators, the tables between file separators; SHA-256 of that, cut to 128 bits. A text that holds
    one of these control characters (or ESC) has it escaped first, so different content never writes
    the same bytes; texts without them, all the registry's, are hashed as they are.
    """
    parts = []
    for table in HASHED:
        rows, columns = tables[table], CONTENT_COLUMNS[table]
        lines = pc.binary_join_element_wise(*(_text(rows[name]) for name in columns), "\x1f",
                                            null_handling="replace", null_replacement="\x1e")
        offsets = np.searchsorted(rows["_record"].to_numpy(), np.arange(count + 1))
        part = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), lines), "\x1d")
        if table in REGISTRY_TABLES:
            # Only a record with rows in it hashes a registry table: the hashes of ClinicalTrials.gov
            # records stay what they were before these tables existed.
            part = pc.if_else(pa.array(np.diff(offsets) > 0), pc.binary_join_element_wise("", part, "\x1c"), "")
            parts[-1] = pc.binary_join_element_wise(parts[-1], part, "")
            continue
        parts.append(part)
    joined = pc.binary_join_element_wise(*parts, "\x1c").cast(pa.binary())
    return [hashlib.sha256(value).hexdigest()[:32] for value in joined.to_pylist()]


# ESC and the four separators, each written as ESC and a printable character: unambiguous.
ESCAPES = {chr(code): "\x1b" + chr(code + 0x40) for code in range(0x1b, 0x20)}


def _text(values):
    values = values.combine_chunks()
    if pa.types.is_list(values.type):
        items = pa.ListArray.from_arrays(values.offsets, _escaped(values.values), mask=values.is_null())
        return pc.binary_join(items, "\x1d")
    return _escaped(values) if pa.types.is_string(values.type) else values.cast(pa.string())


def _escaped(texts):
    if not pa.types.is_string(texts.type) or not pc.any(pc.match_substring_regex(texts, "[\x1b-\x1f]")).as_py():
        return texts
    for char, escape in ESCAPES.items():  # ESC first, so that no escape is escaped again
        texts = pc.replace_substring(texts, char, escape)
    return texts
