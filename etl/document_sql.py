"""Normalizes stored source documents with the SQL in `sql/documents/`: one SELECT per table.

Each `sql/documents/<table>.sql` is a single SELECT over the relation `documents` (record_id VARCHAR,
nct_id VARCHAR, doc JSON: the study in the API v2 shape, legacy XML converted by etl/legacy_to_v2.py)
returning record_id, nct_id and the table's columns. It runs at parse time, on each batch, in an
in-memory DuckDB that reads the batch's documents from Arrow and returns Arrow: the tables go into the
run's Parquet like the parsers' own, so a build reads them as it reads any table, and `trials reparse`
re-derives them by running the same SQL over the stored documents.

A table's schema is its SQL's: the columns and types the SELECT returns over no documents. So a new
column is one line of SQL and nothing else.
"""
import functools
import threading
from importlib.resources import files
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(files("trials.sql")) / "documents"
DOCUMENT = pa.schema([("record_id", pa.string()), ("nct_id", pa.string()), ("doc", pa.json_())])


@functools.cache
def statements():
    """table -> its SELECT, in name order."""
    return {path.stem: path.read_text() for path in sorted(SQL_DIR.glob("*.sql"))}


_local = threading.local()


def _connection():
    """One in-memory DuckDB per thread (and process: a worker forks its own), on one core: the
    import runs one batch per worker, and threads over a batch of a few thousand documents cost more
    than they give."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


def derive(documents):
    """table -> Arrow table of its rows over `documents` (an Arrow table of DOCUMENT's columns), each
    cast to the table's schema."""
    con = _connection()
    con.register("documents", documents.cast(DOCUMENT))
    try:
        return {table: _run(con, table, sql).cast(schema) for (table, sql), schema
                in zip(statements().items(), schemas().values())}
    finally:
        con.unregister("documents")


def _run(con, table, sql):
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise RuntimeError(f"sql/documents/{table}.sql failed: {exc}") from None


@functools.cache
def schemas():
    """table -> the Arrow schema its SQL returns (its columns and types, record_id and nct_id first)."""
    con = duckdb.connect()
    con.register("documents", DOCUMENT.empty_table())
    found = {}
    for table, sql in statements().items():
        schema = _run(con, table, sql).schema.remove_metadata()
        if schema.names[:2] != ["record_id", "nct_id"]:
            raise RuntimeError(f"sql/documents/{table}.sql must return record_id and nct_id first, not {schema.names[:2]}")
        found[table] = pa.schema([field.with_nullable(True) for field in schema])
    con.close()
    return found
