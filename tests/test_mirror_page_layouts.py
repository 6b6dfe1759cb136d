"""Every shared legacy XML record as mirror pages of sites the parser was not written against
(tests/page_renderers.py: `<dl>`, tables, nested divs; the schema's order, the seed's blocks first and
the rest after its last `Source:`, a shuffled order; a related-trials box with the convention's labels
between two blocks, a sidebar, a footer, boilerplate): the page parser's tables equal the XML
parser's, table by table, row by row.

Each record is rendered in all three main markups and all three orders (a Latin square: the k-th markup
with the (k + record)-th order), so every markup meets every order on a third of the records; with
TRIALS_FULL_LAYOUTS=1 every record meets every markup-order pair (about 2 minutes more, kept out of the
suite's 10). Pages are parsed in batches, as the store does.
"""
import os

import pytest

from page_renderers import MARKUPS, ORDERS, render, render_text
from results_documents import RESULTS_TABLES
from trials.etl.batch import with_derived
from trials.etl.ctgov_xml import read_xml_studies
from trials.etl.mirror_page import read_pages
from trials.etl.record import CONTENT_SCHEMAS

# A page shows results as one block the convention gives no structure to (no group ids, no values by
# group), so the page parser does not rebuild them: RESULTS_TABLES are compared on XML only.
# Known gaps of the page parser, open: a third `<submitted>`/`<returned>` pair of pending results
# (7 of the 2,065 records), limitations and caveats (inside `<clinical_results>`, 42 records), and the
# observational model and time perspective of 2 records.
KNOWN_GAPS = {"pending_results": None, "study_details": ("limitations_and_caveats", "observational_model", "time_perspective")}
FULL = os.environ.get("TRIALS_FULL_LAYOUTS") == "1"


@pytest.fixture(scope="module")
def records(shared_data):
    paths = sorted((shared_data / "ctgov_xml").glob("NCT*.xml"))
    assert len(paths) == 2065
    xmls = [path.read_bytes() for path in paths]
    expected = with_derived(read_xml_studies(xmls))
    assert not expected.rejected
    return [path.stem for path in paths], xmls, expected


def _first_difference(expected, got, names):
    """Every table the record has, those sql/documents/ derives from the rebuilt `<clinical_study>`
    included (officials, contacts, investigators, references, ...), but the document itself (a page's
    is the XML it rebuilds) and the results."""
    for table in CONTENT_SCHEMAS:
        if table == "documents" or table in RESULTS_TABLES or (table in KNOWN_GAPS and KNOWN_GAPS[table] is None):
            continue
        want_table, have_table = expected.tables[table], got.tables[table]
        if table in KNOWN_GAPS:
            want_table, have_table = want_table.drop_columns(list(KNOWN_GAPS[table])), have_table.drop_columns(list(KNOWN_GAPS[table]))
        if not have_table.equals(want_table):
            want, have = want_table.to_pylist(), have_table.to_pylist()
            for record in sorted({row["_record"] for row in want + have}):
                rows = [r for r in want if r["_record"] == record], [r for r in have if r["_record"] == record]
                if rows[0] != rows[1]:
                    return f"{names[record]} {table}: expected {rows[0]}, got {rows[1]}"
    return None


@pytest.mark.parametrize("markup_at", range(len(MARKUPS)), ids=MARKUPS)
def test_every_record_in_every_markup_and_order_parses_as_its_xml(records, markup_at):
    names, xmls, expected = records
    pairs = [(MARKUPS[markup_at], order) for order in ORDERS] if FULL else [None]
    for pair in pairs:
        pages = []
        for at, xml in enumerate(xmls):
            markup, order = pair or (MARKUPS[markup_at], ORDERS[(markup_at + at) % len(ORDERS)])
            pages.append(render(xml, markup, order, seed=at))
        got = with_derived(read_pages(pages))
        assert not got.rejected, {names[at]: why for at, why in list(got.rejected.items())[:5]}
        assert _first_difference(expected, got, names) is None, (pair, _first_difference(expected, got, names))


MORE_MARKUPS = ("li", "headings", "text")


@pytest.mark.parametrize("markup", MORE_MARKUPS)
def test_more_markups_on_a_third_of_the_records_in_reverse_order(records, markup):
    """Nested lists, group and text labels as headings without their colon, and text pages like the
    seed, each on another third of the records."""
    names, xmls, expected = records
    chosen = range(MORE_MARKUPS.index(markup), len(xmls), 3)
    pages = [render_text(xmls[at], "reversed") if markup == "text" else render(xmls[at], markup, "reversed", seed=at)
             for at in chosen]
    want = with_derived(read_xml_studies([xmls[at] for at in chosen]))
    got = with_derived(read_pages(pages))
    assert not got.rejected
    assert _first_difference(want, got, [names[at] for at in chosen]) is None
