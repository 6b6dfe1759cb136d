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

from etl.schemas import CHILDREN, TABLES

NCT_ID = re.compile(r"^NCT\d{8}$")
FETCH_COLUMNS = ("record_id", "source", "source_url", "fetched_at", "content_hash")
# Validation flags depend on the fetch date too (a date "in the future"), so they are no content.
STORE_COLUMNS = (*FETCH_COLUMNS, "validation_flags")
CONTENT_COLUMNS = {table: [c for c in schema.names if c not in STORE_COLUMNS] for table, schema in TABLES.items()}


class ParseError(ValueError):
    """Input that cannot become a record; the message is the reason stored in quarantine."""


def normalized(normalize, document):
    """Run a parser's normalizer; a surprise in the document's shape becomes a ParseError (-> quarantine)."""
    try:
        return normalize(document)
    except ParseError:
        raise
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ParseError(f"invalid study: {type(exc).__name__}: {exc}") from None


def make_record(trial, **children):
    """Check the id and shape of a parsed trial and put it with its child rows."""
    nct_id = trial.get("nct_id")
    if not nct_id or not NCT_ID.match(nct_id):
        raise ParseError(f"missing or malformed NCT id: {nct_id!r}")
    unknown = set(children) - set(CHILDREN)
    if unknown:
        raise ValueError(f"unknown child tables {sorted(unknown)}")
    record = {"trials": [trial]}
    for table in CHILDREN:
        record[table] = [{"nct_id": nct_id, **row} for row in children.get(table, ())]
    return record


@dataclass
class Rejected:
    """Why a record of a batch cannot be kept: the stage that refused it (`parse`, `validate`) and why."""
    stage: str
    reason: str


@dataclass
class Rows:
    """A batch's records as tables: table -> Arrow table of its CONTENT_COLUMNS and `_record`, the
    position in the batch of the record each row came from (ascending). The records that could not
    be kept have no rows; `rejected` maps their positions to why."""
    tables: dict
    rejected: dict

    @classmethod
    def of(cls, columns, rejected):
        """Rows from table -> column name -> Arrow array, the rejected records' rows dropped."""
        dropped = pa.array(sorted(rejected), pa.int64())
        tables = {}
        for table, schema in CONTENT_SCHEMAS.items():
            rows = pa.Table.from_arrays([columns[table][name] for name in schema.names], schema=schema)
            tables[table] = rows.filter(pc.invert(pc.is_in(rows["_record"], dropped))) if rejected else rows
        return cls(tables, rejected)


CONTENT_SCHEMAS = {table: pa.schema([*(schema.field(name) for name in CONTENT_COLUMNS[table]), ("_record", pa.int64())])
                   for table, schema in TABLES.items()}


def record_dict(tables):
    """The one record of single-record tables as table -> rows (dicts of the content columns)."""
    return {table: rows.drop_columns(["_record"]).to_pylist() for table, rows in tables.items()}


def content_hashes(tables, count):
    """For each record position 0..count-1 of a batch's tables, a hash of its rows' content.

    What the registry says about the trial, blind to how and when it was fetched: the values of each
    row between unit separators (a null as a record separator), the rows of a table between group
    separators, the tables between file separators; SHA-256 of that, cut to 128 bits. The registry's
    texts hold no such control characters, so different content does not write the same bytes.
    """
    parts = []
    for table, columns in CONTENT_COLUMNS.items():
        rows = tables[table]
        lines = pc.binary_join_element_wise(*(_text(rows[name]) for name in columns), "\x1f",
                                            null_handling="replace", null_replacement="\x1e")
        offsets = np.searchsorted(rows["_record"].to_numpy(), np.arange(count + 1))
        parts.append(pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), lines), "\x1d"))
    joined = pc.binary_join_element_wise(*parts, "\x1c").cast(pa.binary())
    return [hashlib.sha256(value).hexdigest()[:32] for value in joined.to_pylist()]


def _text(values):
    values = values.combine_chunks()
    if pa.types.is_list(values.type):
        return pc.binary_join(values, "\x1d")
    return values if pa.types.is_string(values.type) else values.cast(pa.string())
