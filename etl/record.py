"""The normalized record every parser returns: table name -> rows, exactly one row in `trials`.

Parsers fill the content columns; the store adds the fetch metadata (record_id, source, source_url,
fetched_at) and the content hash, so the same trial parses to the same record however it arrived.
"""
import hashlib
import re

import orjson

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


def content_values(record):
    """The record's content as {table: [row tuple]}, each tuple in the schema's column order."""
    return {table: [tuple(map(row.get, columns)) for row in record[table]]
            for table, columns in CONTENT_COLUMNS.items()}


def content_hash(record, values=None):
    """A hash of what the registry says about the trial, blind to how and when it was fetched.

    It hashes the rows' values in schema order, so it is blind to the key order a parser builds its
    dicts in; `values` is `content_values(record)` when already at hand.
    """
    values = content_values(record) if values is None else values
    return hashlib.blake2b(orjson.dumps(values), digest_size=16).hexdigest()
