"""Normalizes stored source documents with the SQL in `sql/documents/`: one SELECT per table.

Each `sql/documents/<table>.sql` is a single SELECT over the relation `documents` (record_id VARCHAR,
nct_id VARCHAR, doc JSON: the study in the API v2 shape, legacy XML converted by etl/legacy_to_v2.py)
returning record_id, nct_id and the table's columns. It runs at parse time, on each batch, in an
in-memory DuckDB that reads the batch's documents from Arrow and returns Arrow: the tables go into the
run's Parquet like the parsers' own, so a build reads them as it reads any table, and `trials reparse`
re-derives them by running the same SQL over the stored documents.

A table's schema is its SQL's: the columns and types the SELECT returns over no documents. So a new
column is one line of SQL and nothing else.

Every json_extract parses the whole document again, and a study is tens of KB of which a table reads
one module: so each batch's documents are split once into their API v2 modules, and a file that names
modules (`contactsLocationsModule`, ...) reads documents holding only those, which parse in a fraction
of the time. A file that names no module, or a section without naming one of its modules, reads the
whole documents. (Measured: the whole record's SQL costs about a fifth of what it costs unsplit.)
"""
import functools
import re
import threading
from importlib.resources import files
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(files("trials.sql")) / "documents"
DOCUMENT = pa.schema([("record_id", pa.string()), ("nct_id", pa.string()), ("doc", pa.json_())])
# The API v2 study's parts, by section: its modules, and the study's own top-level fields.
MODULES = {
    "protocolSection": ("identificationModule", "statusModule", "sponsorCollaboratorsModule", "oversightModule",
                        "descriptionModule", "conditionsModule", "designModule", "armsInterventionsModule",
                        "outcomesModule", "eligibilityModule", "contactsLocationsModule", "referencesModule",
                        "ipdSharingStatementModule"),
    "resultsSection": ("participantFlowModule", "baselineCharacteristicsModule", "outcomeMeasuresModule",
                       "adverseEventsModule", "moreInfoModule"),
    "annotationSection": ("annotationModule",),
    "documentSection": ("largeDocumentModule",),
    "derivedSection": ("miscInfoModule", "conditionBrowseModule", "interventionBrowseModule"),
    "": ("hasResults",),
}
_PARTS = [(section, name) for section, names in MODULES.items() for name in names]


@functools.cache
def statements():
    """table -> its SELECT, in name order."""
    return {path.stem: path.read_text() for path in sorted(SQL_DIR.glob("*.sql"))}


_local = threading.local()
# The one rule for a number the registry gives as text (a result's value, spread, limits): a plain
# decimal number, else null, never 0 or an error ('NA', '< 0.001', '12 (median)').
MACROS = r"""create or replace macro decimal_number(text) as
    try_cast(regexp_extract(text, '^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$', 1) as double)"""


def connect(**config):
    """An in-memory DuckDB with the macros the files of sql/documents/ use."""
    con = duckdb.connect(config=config)
    con.execute(MACROS)
    return con


def _connection():
    """One in-memory DuckDB per thread (and process: a worker forks its own), on one core: the
    import runs one batch per worker, and threads over a batch of a few thousand documents cost more
    than they give."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = connect(threads=1)
    return con


def derive(documents):
    """table -> Arrow table of its rows over `documents` (an Arrow table of DOCUMENT's columns), each
    cast to the table's schema."""
    if not documents.num_rows:  # no SQL to plan for nothing (a batch of other registries, or all refused)
        return {table: schema.empty_table() for table, schema in schemas().items()}
    con = _connection()
    con.register("whole_documents", documents.cast(DOCUMENT))
    paths = [f"$.{section}.{name}" if section else f"$.{name}" for section, name in _split()]
    con.execute(f"create or replace temp table document_parts as "
                f"select record_id, nct_id, json_extract(doc, {paths!r}) as part from whole_documents")
    try:
        derived = {}
        for (table, sql), schema in zip(statements().items(), schemas().values()):
            con.execute(f"create or replace temp view documents as {_documents_of(sql)}")
            derived[table] = _run(con, table, sql).cast(schema)
        return derived
    finally:
        con.execute("drop view if exists documents")
        con.execute("drop table document_parts")
        con.unregister("whole_documents")


@functools.cache
def _named(sql):
    """The parts a file reads: the modules it names; None when it reads whole documents."""
    sql = re.sub(r"--[^\n]*", "", sql)  # what its comments name it does not read
    named = {part for part in _PARTS if re.search(rf"\b{part[1]}\b", sql)}
    sections = {section for section in MODULES if section and re.search(rf"\b{section}\b", sql)}
    if not named or any(not any(s == section for s, _ in named) for section in sections):
        return None
    return named


@functools.cache
def _split():
    """The parts any file reads, in _PARTS order: those a batch's documents are split into."""
    named = set().union(*(_named(sql) or () for sql in statements().values()))
    return [part for part in _PARTS if part in named]


@functools.cache
def _documents_of(sql):
    """The SELECT of the documents a file reads: only the modules it names, or whole."""
    named = _named(sql)
    if named is None:
        return "select record_id, nct_id, doc from whole_documents"
    members = {}
    for at, (section, name) in enumerate(_split(), 1):
        if (section, name) in named:
            members.setdefault(section, []).append(f"'\"{name}\":' || part[{at}]")
    fields = [f"'\"{section}\":{{' || concat_ws(',', {', '.join(parts)}) || '}}'" if section else parts[0]
              for section, parts in members.items()]
    return f"select record_id, nct_id, ('{{' || concat_ws(',', {', '.join(fields)}) || '}}')::json as doc from document_parts"


def _run(con, table, sql):
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise RuntimeError(f"sql/documents/{table}.sql failed: {exc}") from None


@functools.cache
def schemas():
    """table -> the Arrow schema its SQL returns (its columns and types, record_id and nct_id first)."""
    con = connect()
    con.register("documents", DOCUMENT.empty_table())
    found = {}
    for table, sql in statements().items():
        schema = _run(con, table, sql).schema.remove_metadata()
        if schema.names[:2] != ["record_id", "nct_id"]:
            raise RuntimeError(f"sql/documents/{table}.sql must return record_id and nct_id first, not {schema.names[:2]}")
        found[table] = pa.schema([field.with_nullable(True) for field in schema])
    con.close()
    return found
