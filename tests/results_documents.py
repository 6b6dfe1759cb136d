"""Binds the `documents` relation the SQL models of sql/documents/ read, for tests and for reuse.

`documents` holds one v2-shaped study per row: record_id VARCHAR, nct_id VARCHAR, doc JSON. Legacy
XML records enter as {"resultsSection": results_section(<clinical_results>)}, the shape the `record`
runner gives them.
"""
import json
import zipfile

import pyarrow as pa
from lxml import etree

from trials.etl.legacy_results import results_section
from trials.etl.document_sql import MACROS
from trials.warehouse.build import SQL_DIR

# The tables sql/documents/ makes from the results (the others are the rest of the whole record).
RESULTS_TABLES = ("baseline_counts", "baseline_measurements", "drop_withdrawals", "milestones", "outcome_analyses",
                  "outcome_counts", "outcome_measurements", "participant_flows", "reported_event_totals",
                  "reported_events", "result_agreements", "result_contacts", "result_groups", "result_outcomes")


def bind_documents(con, rows):
    """(Re)create table `documents` in DuckDB connection `con` from (record_id, nct_id, json text) rows."""
    rows = list(rows)
    table = pa.table({"record_id": [r[0] for r in rows], "nct_id": [r[1] for r in rows],
                      "doc": [r[2] for r in rows]}, schema=pa.schema(
        [("record_id", pa.string()), ("nct_id", pa.string()), ("doc", pa.string())]))
    con.register("documents_rows", table)
    con.execute("create or replace table documents as "
                "select record_id, nct_id, doc::json as doc from documents_rows")
    con.unregister("documents_rows")


def build_document_tables(con):
    """Each sql/documents/<table>.sql as table <table>; returns {table: rows}."""
    con.execute(MACROS)
    counts = {}
    for table in RESULTS_TABLES:
        con.execute(f"create or replace table {table} as {(SQL_DIR / 'documents' / f'{table}.sql').read_text()}")
        (counts[table],), = con.execute(f"select count(*) from {table}").fetchall()
    return counts


def _nct(doc):
    return doc["protocolSection"]["identificationModule"]["nctId"]


def shared_v2_documents(shared_data):
    """{record_id: parsed v2 study} of the shared API v2 files and the bulk zip's members."""
    docs = {f"v2/{p.name}": json.loads(p.read_bytes()) for p in sorted((shared_data / "ctgov_v2_json").glob("*.json"))}
    with zipfile.ZipFile(shared_data / "ctg-studies.json.zip") as bulk:
        docs.update({f"bulk/{name}": json.loads(bulk.read(name)) for name in bulk.namelist() if name.endswith(".json")})
    return docs


def shared_legacy_results(shared_data):
    """{record_id: (nct_id, <clinical_results> element or None)} of the shared legacy XML files."""
    out = {}
    for path in sorted((shared_data / "ctgov_xml").glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        out[f"xml/{path.name}"] = (root.findtext("id_info/nct_id"), root.find("clinical_results"))
    return out


def document_rows(v2_docs, legacy):
    """The `documents` rows of parsed v2 studies and legacy <clinical_results> elements."""
    for record_id, doc in v2_docs.items():
        yield record_id, _nct(doc), json.dumps(doc)
    for record_id, (nct_id, element) in legacy.items():
        section = results_section(element)
        yield record_id, nct_id, json.dumps({"resultsSection": section} if section else {})
