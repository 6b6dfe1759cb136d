"""docs/data-dictionary.md is generated, complete, and a test fails when it and the schema disagree."""
import re
from pathlib import Path

import pytest

from conftest import query, run_trials
from trials.etl.schemas import QUARANTINE, TABLES
from trials.etl.vocab import VOCABULARIES
from trials.docs import sample_dictionary, stale_lines

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md"


@pytest.fixture(scope="module")
def documented():
    """{section heading: [column names]} of the committed dictionary."""
    sections, current = {}, None
    for line in DICTIONARY.read_text().splitlines():
        if line.startswith("### "):
            current = sections.setdefault(line[4:], [])
        elif current is not None and (match := re.match(r"\| `(\w+)` \|", line)):
            current.append(match.group(1))
    return sections


def test_the_committed_dictionary_is_what_the_schema_generates():
    text = sample_dictionary()
    assert stale_lines(text, DICTIONARY) == [], "docs/data-dictionary.md is stale: run `make docs`"
    assert "undocumented" not in text, "describe the new columns in warehouse/columns.py"


def test_every_table_and_column_of_a_crawled_warehouse_is_documented(crawled_sample, documented):
    columns = query(crawled_sample, "select table_name, list(column_name order by ordinal_position) "
                                    "from information_schema.columns where table_schema = 'main' group by 1")
    assert {table: cols for table, cols in columns} == {
        name: cols for name, cols in documented.items() if not name.endswith(".parquet") and name not in VOCABULARIES}
    for table, schema in {**TABLES, "quarantine": QUARANTINE}.items():
        assert documented[f"{table}.parquet"] == schema.names


def test_coded_columns_link_their_vocabulary_and_values_are_listed():
    text = DICTIONARY.read_text()
    assert re.search(r"\| `overall_status` \| VARCHAR \| [^|]+ \| \[overall_status\]\(#vocabulary-overall-status\)", text)
    assert re.search(r"\| `status` \| VARCHAR \| [^|]+ \| \[site_status\]", text)
    for vocab, values in VOCABULARIES.items():
        assert ", ".join(f"`{v}`" for v in values) in text, vocab


def test_check_reports_a_dictionary_that_lost_a_column(tmp_path):
    stale = tmp_path / "data-dictionary.md"
    stale.write_text(re.sub(r"\n\| `why_stopped` \|[^\n]*", "", DICTIONARY.read_text(), count=1))
    result = run_trials("docs", "--check", "--out", stale, check=False)
    assert result.returncode == 1
    assert "+| `why_stopped` | VARCHAR |" in result.stderr
