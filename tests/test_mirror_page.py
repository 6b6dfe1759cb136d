"""The mirror-page parser: the real seed page, every shipped record in every markup, boilerplate,
and pages that are not trial pages."""
import datetime as dt
import html
import re

import pytest

from trials.etl.ctgov_xml import read_xml_studies
from trials.etl.parsers import parse_record
from trials.etl.mirror_page import page_lines, parse_page, read_pages
from trials.etl.record import ParseError
from trials.mirror_site import MARKUPS, MirrorSite, render_trial_page


def _values(record):
    return [v for rows in record.values() for row in rows for v in row.values() if isinstance(v, str)]


@pytest.fixture(scope="module")
def seed(shared_data):
    return (shared_data / "seed_trial_page.txt").read_bytes()


def test_the_seed_page_parses_to_its_trial(seed):
    record = parse_page(seed, "https://mirror.example/trials/NCT06536712")
    trial = record["trials"][0]
    assert (trial["nct_id"], trial["phase"], trial["overall_status"], trial["study_type"]) == (
        "NCT06536712", "PHASE1", "NOT_YET_RECRUITING", "INTERVENTIONAL")
    assert [c["condition"] for c in record["conditions"]] == ["Rectal Cancer"]
    assert [(m["mesh_term"], m["mesh_id"]) for m in record["condition_mesh_terms"]] == [("Rectal Neoplasms", None)]
    assert [(i["intervention_type"], i["name"]) for i in record["interventions"]] == [
        ("BIOLOGICAL", "Mesenchymal Stem Cells Derived Exosomes"), ("OTHER", "Placebo")]
    assert (trial["minimum_age_years"], trial["maximum_age_years"], trial["sex"]) == (18.0, 75.0, "ALL")
    assert [(s["city"], s["zip"], s["country_code"]) for s in record["sites"]] == [("Tehran", "1419733141", "IR")]
    assert (trial["lead_sponsor"], trial["lead_sponsor_class"]) == ("Tehran University of Medical Sciences", "OTHER")
    assert (trial["start_date"], trial["start_date_precision"]) == (dt.date(2024, 8, 1), "month")
    assert (trial["completion_date"], trial["completion_date_precision"]) == (dt.date(2024, 12, 1), "month")
    assert (trial["allocation"], trial["intervention_model"], trial["masking"]) == (
        "NON_RANDOMIZED", "PARALLEL", "QUADRUPLE")
    assert trial["eligibility_criteria"].startswith("Inclusion Criteria: -Patients with Stage II-III")
    assert trial["healthy_volunteers"] is False
    for value in _values(record):
        assert not re.search("login|password|email", value, re.I), value


def test_the_seed_parses_the_same_whatever_markup_carries_its_lines(seed):
    lines = page_lines(seed)
    as_divs = "".join(f"<div><span>{html.escape(line)}</span></div>" for line in lines)
    as_breaks = "<br>\n".join(html.escape(line) for line in lines)
    expected = parse_page(seed)
    for markup in (f"<!DOCTYPE html><html><body>{as_divs}</body></html>",
                   f"<html><body><p>{as_breaks}</p></body></html>"):
        assert parse_page(markup.encode()) == expected


def test_every_shipped_record_round_trips_in_every_markup(sample_xml):
    xmls = list(sample_xml.values())
    expected = read_xml_studies(xmls)
    for markup in MARKUPS:  # in a batch, as the store parses them
        got = read_pages([render_trial_page(xml, markup, [("NCT00000102", "A related trial")]) for xml in xmls])
        assert not got.rejected
        for table, rows in expected.tables.items():
            if table != "documents":  # a page's document is the XML it rebuilds, not the original file
                assert got.tables[table].equals(rows), (markup, table)


def test_markups_differ_but_parse_identically(sample_xml):
    xml = next(iter(sample_xml.values()))
    pages = {markup: render_trial_page(xml, markup) for markup in MARKUPS}
    assert b"<dt>Trial Title:</dt>" in pages["dl"] and b"<th scope=\"row\">" in pages["table"]
    assert b"<dl>" not in pages["p"] and b"<table" not in pages["p"]
    records = [parse_page(page) for page in pages.values()]
    assert records[0] == records[1] == records[2]


def test_boilerplate_and_related_trials_never_reach_a_field(sample_xml):
    nct_id, xml = next((n, x) for n, x in sample_xml.items() if parse_record("ctgov_xml", x)["condition_mesh_terms"])
    related = [("NCT09999991", "Another trial"), ("NCT09999992", "Yet another")]
    page = render_trial_page(xml, "p", related)
    # Put more boilerplate right after the unlabeled MeSH list, where loose text would be taken.
    page = page.replace("<p>Keyword:".encode(), b"<p>Share this trial: Email</p><p>Related trials</p>"
                        b"<p>NCT09999993: a third</p><p>Keyword:", 1)
    page = page.replace(b"<p>Study type:", b"<p>Share this trial: Email</p><p>Related trials</p>"
                        b"<p>NCT09999993: a third</p><p>Study type:", 1)
    assert page.count(b"NCT09999993") >= 1
    record = parse_page(page)
    assert record == parse_record("ctgov_xml", xml)
    assert record["trials"][0]["nct_id"] == nct_id
    assert not any(re.search(r"NCT0999999|Share this|Related trials|Login|password|cookies", v)
                   for v in _values(record))


def test_non_trial_pages_are_refused_with_a_reason(sample_xml):
    site = MirrorSite(dict(list(sample_xml.items())[:5]))
    try:
        listing = site.listing(1)
        login_wall = ("<html><body><p>To hear about similar clinical trials, please enter your email below</p>"
                      "<p>NCT ID: NCT00000102</p><p>Log in to see this trial.</p><p>Password:</p></body></html>")
        error = "<!DOCTYPE html><html><body><h1>Page not found</h1><p>Error 404.</p></body></html>"
        several = "".join(f"<p>NCT ID: {n}</p><p>Trial Title: t</p><p>Overall status: Completed</p>"
                          for n in site.ids)
    finally:
        site.server_close()
    with pytest.raises(ParseError, match="not a trial page: no `NCT ID:` field"):
        parse_page(listing)
    with pytest.raises(ParseError, match="not a trial page: an `NCT ID:` but no Trial Title or Overall status"):
        parse_page(login_wall.encode())
    with pytest.raises(ParseError, match="not a trial page"):
        parse_page(error.encode())
    with pytest.raises(ParseError, match="two different values for 'NCT ID'"):
        parse_page(f"<html><body>{several}</body></html>".encode())
    with pytest.raises(ParseError, match="not a trial page"):
        parse_page(b"")


def test_values_that_look_like_labels_stay_values():
    page = ("<html><body><dl><dt>Trial Title:</dt><dd>Summary: a title</dd><dt>NCT ID:</dt><dd>NCT00000102</dd>"
            "<dt>Overall status:</dt><dd>Completed</dd><dt>Enrollment:</dt><dd>40 (Anticipated)</dd>"
            "<dt>Primary outcome:</dt><dd><dl><dt>Measure:</dt><dd>Time Frame: 8 weeks</dd></dl></dd></dl></body></html>")
    record = parse_page(page.encode())
    assert record["trials"][0]["brief_title"] == "Summary: a title"
    assert record["outcomes"][0]["measure"] == "Time Frame: 8 weeks"
    assert (record["trials"][0]["enrollment"], record["trials"][0]["enrollment_type"]) == (40, "ESTIMATED")


def test_control_characters_are_dropped_not_fatal():
    page = b"Trial Title: Vitamin\x01 D\nNCT ID: NCT00000102\nOverall status: Completed\n"
    assert parse_page(page)["trials"][0]["brief_title"] == "Vitamin D"


def test_whitespace_in_a_line_is_folded_whatever_the_character():
    page = ("<html><body><p>Trial Title:\tVitamin  D\u00a0and\u2028sun \u00adlight </p><p> NCT ID:  NCT00000102</p>"
            "<p>Overall status: Completed\r</p></body></html>")
    assert page_lines(page.encode()) == ["Trial Title: Vitamin D and sun \u00adlight", "NCT ID: NCT00000102",
                                         "Overall status: Completed"]


def test_a_repeated_child_label_starts_the_next_group_even_with_the_same_value(seed):
    page = seed.replace(b"Intervention type: Other", b"Intervention type: Biological")
    assert [(i["intervention_type"], i["name"]) for i in parse_page(page)["interventions"]] == [
        ("BIOLOGICAL", "Mesenchymal Stem Cells Derived Exosomes"), ("BIOLOGICAL", "Placebo")]


def _lines(markup, *lines):
    """Noise lines rendered the way `markup` renders items, to sit among a page's fields."""
    cell = {"dl": "<dd>{}</dd>", "table": '<tr><td colspan="2">{}</td></tr>', "p": "<p>{}</p>"}[markup]
    return "".join(cell.format(html.escape(line)) for line in lines).encode()


_TOP_LABEL = re.compile(rb"<(?:dt|th|p)[^>]*>(?:Condition|Keyword|Study type|Start date|Eligibility|Criteria for eligibility|"
                        rb"Location countries|Verification date|Overall official|Link|Reference|Responsible party|"
                        rb"Intervention browse|Patient data|Study first submitted|Firstreceived date|Source)[ a-z]*:")


def _before(page, noise, start):
    """`noise` inserted before the next top-level label after the last `start`."""
    label = _TOP_LABEL.search(page, page.rindex(start))
    at = label.start() if label else page.index(b"</article>")
    return page[:at] + noise + page[at:]


def _related_box(markup):
    """A box of another trial: what tells it from the page's own fields is the box naming another
    trial (a flat run of `Study phase:` lines naming none would be the page's own to any reader)."""
    box = ('<div class="related"><p>Related trials:</p><p><a href="/trials/NCT09999994">NCT09999994</a>: a fourth</p>'
           '<p>Study phase: Phase 2</p><p>Overall status: Recruiting</p></div>')
    return (f'<tr><td colspan="2">{box}</td></tr>' if markup == "table" else box).encode()


@pytest.mark.parametrize("markup", MARKUPS)
def test_boilerplate_between_fields_and_after_the_record_changes_nothing(sample_xml, markup):
    """Real records with noise where a loose parser takes it: after the MeSH list, after the last
    intervention, right after a facility, and a footer with labels of the convention."""
    def has(x, tag, count=1):
        return x.count(f"<{tag}>".encode()) >= count
    chosen = [next(x for x in sample_xml.values() if has(x, "mesh_term") and has(x, "keyword")),
              next(x for x in sample_xml.values() if has(x, "intervention", 2) and has(x, "mesh_term")),
              next(x for x in sample_xml.values() if has(x, "location", 2) and has(x, "status", 2))]
    footer = (b"<footer><p>Condition: Advertising</p><p>Keyword:</p><p>Free trial</p>"
              b"<p>Source: mirror.example</p><dl><dt>Study phase:</dt><dd>Phase 2</dd></dl>")
    for xml in chosen:
        expected = parse_record("ctgov_xml", xml)
        page = render_trial_page(xml, markup, [("NCT09999991", "Another trial")])
        terms = [m["mesh_term"] for m in expected["condition_mesh_terms"]]
        if terms:
            page = _before(page, _lines(markup, "Advertisement", "Contact us", "You may also like",
                                                   "Vitamin D Supplementation in Healthy Volunteers"), b"Official terms:")
        if len(expected["interventions"]) > 1:
            page = _before(page, _lines(markup, "Description: Read more about this treatment"), b">Intervention:")
        if len(expected["sites"]) > 1:
            page = _before(page, _lines(markup, "Status: online") + _related_box(markup), b">Facility:")
        page = page.replace(b"<footer>", footer + _related_box("p"))
        assert parse_page(page) == expected, (expected["trials"][0]["nct_id"], markup)


def test_group_headings_without_colons_plural_headings_and_nested_contacts():
    """Headings a site writes as `<h3>` without a colon open their group; a contact or an investigator
    inside a location does not swallow the locations after it (issue 19)."""
    page = """<html><body><main><dl><dt>Trial Title:</dt><dd>T</dd></dl>
    <p>NCT ID: NCT01234567</p><p>Overall status: Completed</p>
    <h3>Lead sponsor</h3><p>Agency: ACME</p><p>Agency class: Industry</p>
    <h3>Collaborators</h3><h4>Collaborator</h4><p>Agency: NIH</p><p>Agency class: U.S. Fed</p>
    <h4>Collaborator</h4><p>Agency: Other Co</p><p>Agency class: Industry</p>
    <h3>Locations</h3><h4>Location</h4><h5>Facility</h5><p>Name: Site A</p><h5>Address</h5><p>City: Paris</p>
    <p>Country: France</p><p>Status: Recruiting</p><h5>Contact</h5><p>Last name: Doe</p><p>Phone: 123</p>
    <h4>Location</h4><h5>Facility</h5><p>Name: Site B</p><h5>Address</h5><p>City: Lyon</p><p>Country: France</p>
    <h5>Investigator</h5><p>Last name: Roe</p><p>Role: Principal Investigator</p>
    <h5>Facility</h5><p>Name: Site C</p><h5>Address</h5><p>City: Nice</p><p>Country: France</p>
    <h3>Study design</h3><p>Allocation: Randomized</p></main></body></html>"""
    record = parse_page(page.encode())
    assert (record["trials"][0]["lead_sponsor"], record["trials"][0]["allocation"]) == ("ACME", "RANDOMIZED")
    assert [(s["name"], s["role"]) for s in record["sponsors"]] == [
        ("ACME", "lead"), ("NIH", "collaborator"), ("Other Co", "collaborator")]
    assert [(s["facility"], s["city"], s["status"]) for s in record["sites"]] == [
        ("Site A", "Paris", "RECRUITING"), ("Site B", "Lyon", None), ("Site C", "Nice", None)]


def test_the_seed_page_parses_to_exactly_the_record_it_had(seed):
    """The whole record of the seed page, as the parser read it before any order of blocks was allowed."""
    record = parse_page(seed)
    assert {table: len(rows) for table, rows in record.items()} == {
        "trials": 1, "conditions": 1, "keywords": 0, "condition_mesh_terms": 1, "interventions": 2,
        "arm_groups": 0, "sponsors": 1, "sites": 1, "secondary_ids": 0, "outcomes": 0,
        "registry_records": 0, "registry_values": 0}
    trial = record["trials"][0]
    assert trial["brief_title"].startswith("Effects of Exosome Adminstration in Preventing Early Leakage")
    assert trial["brief_summary"].startswith("The goal of this clinical trial") and trial["detailed_description"]
    assert (trial["enrollment"], trial["official_title"], trial["primary_completion_date"]) == (None, None, None)
    assert [i["description"] for i in record["interventions"]] == [
        "Mesenchymal Stem Cells Derived Exosomes will be administered intraperitoneally to patients at the end "
        "of their surgery", "10 patients will receive intraperitoneal placebo at the end of their surgery"]
    assert record["sites"][0]["facility"].startswith("Division of Colorectal Surgery")
