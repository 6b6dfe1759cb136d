"""Every question of docs/queries.md's "Results and safety" part runs on the results of the shipped
sample and returns rows.

The results tables come from sql/documents/ over the sample's documents; `trials` and
`interventions` come from the project's own parsers of the same records, as the warehouse has them.
"""
import json
import re

import duckdb
import pytest
from lxml import etree

from conftest import REPO
from results_documents import bind_documents, build_document_tables
from trials.etl.ctgov_json import read_studies
from trials.etl.ctgov_xml import read_xml_studies
from trials.etl.legacy_results import results_section
from trials.samples import ctgov_v2_studies, ctgov_xml_studies

PART = (REPO / "docs" / "queries.md").read_text().split("\n# Results and safety\n", 1)[1].split("\n# Across registries\n", 1)[0]
QUERIES = re.findall(r"^### (.+?)\n.*?^```sql\n(.*?)^```", PART, re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def sample():
    v2, xml = ctgov_v2_studies(), ctgov_xml_studies()
    con = duckdb.connect()
    rows = [(f"v2/{nct_id}", nct_id, body.decode()) for nct_id, body in v2.items()]
    for nct_id, body in xml.items():
        section = results_section(etree.fromstring(body).find("clinical_results"))
        rows.append((f"xml/{nct_id}", nct_id, json.dumps({"resultsSection": section} if section else {})))
    bind_documents(con, rows)
    build_document_tables(con)
    for table in ("trials", "interventions"):
        parsed = [read_studies(list(v2.values())).tables[table], read_xml_studies(list(xml.values())).tables[table]]
        for n, part in enumerate(parsed):
            con.register(f"part{n}", part)
        con.execute(f"create table {table} as select * exclude (_record) from part0 "
                    f"union all by name select * exclude (_record) from part1")
    yield con
    con.close()


def test_the_part_holds_questions_on_results_and_safety():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("question, sql", QUERIES, ids=[q.split(".")[0] for q, _ in QUERIES])
def test_results_query_returns_rows(sample, question, sql):
    assert sample.execute(sql).fetchall(), f"no rows for: {question}"


def test_the_sample_has_results_from_both_sources(sample):
    sources = dict(sample.execute("select split_part(record_id, '/', 1), count(distinct nct_id) "
                                  "from result_groups group by 1").fetchall())
    assert sources == {"v2": 22, "xml": 12}
