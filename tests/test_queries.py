"""Every query in docs/queries.md runs against the sample warehouse and returns rows."""
import re

import pytest

from conftest import REPO, query

QUERIES = re.findall(r"^## (.+?)\n.*?^```sql\n(.*?)^```", (REPO / "docs" / "queries.md").read_text(),
                     re.MULTILINE | re.DOTALL)


def test_the_page_holds_a_dozen_questions():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("question, sql", QUERIES, ids=[q.split(".")[0] for q, _ in QUERIES])
def test_query_returns_rows(crawled_sample, question, sql):
    rows = query(crawled_sample, sql)
    assert rows, f"no rows for: {question}"
