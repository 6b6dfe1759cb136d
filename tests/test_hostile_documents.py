"""Hostile XML and HTML for the legacy-XML and mirror-page parsers (issue 3): XXE is never resolved,
foreign encodings and broken markup parse or fail with ParseError, the page's NCT id must be one and
well formed."""
import json
import time
from functools import partial

import pytest

from conftest import query, run_trials
from trials.etl.mirror_page import PageBody, parse_page
from trials.etl.parsers import parse_record
from trials.etl.record import ParseError
from trials.api_server import serve

SECRET = "canary-7f3a9c-the-parser-read-a-local-file"


def outcome(parse, body):
    """The record as text (to search for leaks), or the ParseError's message."""
    try:
        return json.dumps(parse(body), default=str)
    except ParseError as exc:
        return f"ParseError: {exc}"


@pytest.fixture
def canaries(tmp_path):
    """A local file and a local URL that no parser may read: (file, url, server)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    with serve({}) as server:
        yield secret, f"http://127.0.0.1:{server.server_address[1]}/canary", server


XML_ATTACKS = {
    "file entity": '<!DOCTYPE clinical_study [<!ENTITY x SYSTEM "file://{file}">]>',
    "url entity": '<!DOCTYPE clinical_study [<!ENTITY x SYSTEM "{url}/entity">]>',
    "parameter entity": '<!DOCTYPE clinical_study [<!ENTITY % p SYSTEM "{url}/dtd"> %p; <!ENTITY x "y">]>',
    "external dtd": '<!DOCTYPE clinical_study SYSTEM "{url}/external.dtd"><!-- &x; -->',
    "billion laughs": '<!DOCTYPE clinical_study [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                      '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY x "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
}


def legacy_xml(doctype, title="&x;"):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<clinical_study><id_info><nct_id>NCT01234567'
            f'</nct_id></id_info><brief_title>{title}</brief_title><overall_status>Completed</overall_status>'
            f'</clinical_study>').encode()


@pytest.mark.parametrize("attack", XML_ATTACKS)
def test_xml_entities_are_never_resolved(canaries, attack):
    parse = partial(parse_record, "ctgov_xml")
    secret, url, server = canaries
    result = outcome(parse, legacy_xml(XML_ATTACKS[attack].format(file=secret, url=url)))
    assert SECRET not in result and "aaaaaaaaaaaaaaaaaaaa" not in result
    assert server.requests == []


def test_xml_through_import_reads_no_file_and_fetches_nothing(canaries, tmp_path):
    secret, url, server = canaries
    folder = tmp_path / "xml"
    folder.mkdir()
    for i, attack in enumerate(XML_ATTACKS):
        (folder / f"NCT0123456{i}.xml").write_bytes(
            legacy_xml(XML_ATTACKS[attack].format(file=secret, url=url)).replace(b"NCT01234567", f"NCT0123456{i}".encode()))
    run_trials("import", folder, "--data", tmp_path / "data")
    run_trials("build", "--data", tmp_path / "data")
    leaks = query(tmp_path / "data", "select count(*) from trials where brief_title like ?", [f"%{SECRET}%"])
    assert leaks == [(0,)] and server.requests == []
    assert SECRET not in "".join(r[0] or "" for r in query(tmp_path / "data", "select payload from quarantine"))


@pytest.mark.parametrize("declared, encoding", [("ISO-8859-1", "latin-1"), ("UTF-16", "utf-16")])
def test_xml_in_another_encoding(declared, encoding):
    parse = partial(parse_record, "ctgov_xml")
    body = legacy_xml("", "Étude Lariboisière").decode().replace("UTF-8", declared).encode(encoding)
    record = parse(body)
    assert record["trials"][0]["brief_title"] == "Étude Lariboisière"


PAGE = """<html><head><title>NCT01234567</title></head><body>
<p>To hear about similar clinical trials, please enter your email below</p>
{fields}
<p>Related trials: NCT07654321</p></body></html>"""
FIELDS = "<p>Trial Title: Étude Lariboisière</p><p>NCT ID: {nct}</p><p>Overall status: Completed</p>"


def page(nct="NCT01234567", extra=""):
    return PAGE.format(fields=FIELDS.format(nct=nct) + extra)


@pytest.mark.parametrize("encoding, declared", [("latin-1", '<meta charset="iso-8859-1">'), ("utf-16", "")])
def test_page_in_another_encoding(encoding, declared):
    parse = partial(parse_record, "mirror_page")
    body = page().replace("<head>", "<head>" + declared).encode(encoding)
    record = parse(body)
    assert record["trials"][0]["nct_id"] == "NCT01234567"
    assert record["trials"][0]["brief_title"] == "Étude Lariboisière"


def test_page_with_broken_markup():
    parse = partial(parse_record, "mirror_page")
    broken = page().replace("</p>", "", 2).replace("<body>", "<body><div><table><tr><td>") + "</span></div></html>"
    result = outcome(parse, broken.encode())
    assert result.startswith("ParseError") or json.loads(result)["trials"][0]["nct_id"] == "NCT01234567"


@pytest.mark.parametrize("nct, extra, reason", [
    ("", "", "NCT"),
    ("NCT123", "", "NCT"),
    ("NCT01234567", "<p>NCT ID: NCT07654321</p>", "NCT"),
])
def test_page_needs_exactly_one_well_formed_nct_id(nct, extra, reason):
    parse = partial(parse_record, "mirror_page")
    with pytest.raises(ParseError, match=reason):
        parse(page(nct, extra).encode())


def test_page_with_xxe_doctype(canaries):
    parse = partial(parse_record, "mirror_page")
    secret, url, server = canaries
    doctype = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y SYSTEM "{url}/page">]>'
    result = outcome(parse, (doctype + page().replace("Completed", "&x;&y;")).encode())
    assert SECRET not in result and server.requests == []


def test_page_whose_charset_is_declared_only_in_the_http_header():
    body = page().replace("Étude Lariboisière", "Исследование витамина D").encode("koi8-r")
    record = parse_page(body, "http://127.0.0.1/trial", content_type="text/html; charset=KOI8-R")
    assert record["trials"][0]["brief_title"] == "Исследование витамина D"
    body = page().encode("cp1252")
    assert parse_page(PageBody(body, "text/html; charset=windows-1252"))["trials"][0]["brief_title"] == \
        "Étude Lariboisière"
    # Without the header the bytes are not UTF-8: replaced, as a browser would show them.
    assert parse_page(body)["trials"][0]["brief_title"] != "Étude Lariboisière"


def test_the_crawl_decodes_a_page_with_the_charset_of_its_http_header(tmp_path, sample_xml):
    from http.server import ThreadingHTTPServer
    from conftest import query, run_trials
    from trials.local_http import QuietHandler, running
    body = page().encode("latin-1")

    class Site(QuietHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            if self.path == "/trials/NCT01234567":
                return self.send(200, body, "text/html; charset=ISO-8859-1")
            self.send(200, b'<html><body><a href="/trials/NCT01234567">a trial</a></body></html>', "text/html")

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Site)) as site:
        run_trials("crawl", "pages", "--start-url", f"http://127.0.0.1:{site.server_address[1]}/", "--data", tmp_path,
                   "--delay", "0")
    run_trials("build", "--data", tmp_path)
    assert query(tmp_path, "select nct_id, brief_title from trials") == [("NCT01234567", "Étude Lariboisière")]


HIDDEN = [
    "<noframes><p>Overall status: Withdrawn</p></noframes>",
    "<noembed><p>Overall status: Withdrawn</p></noembed>",
    "<iframe><p>Overall status: Withdrawn</p></iframe>",
    "<title>Overall status: Withdrawn</title>",
    "<div hidden><p>Overall status: Withdrawn</p></div>",
    '<div style="color: red; DISPLAY : none"><p>Overall status: Withdrawn</p></div>',
    '<div style="display:none"><p>Overall status: Withdrawn</p></div>',
    '<div style="visibility: hidden"><p>Overall status: Withdrawn</p></div>',
    '<div aria-hidden="true"><p>Overall status: Withdrawn</p></div>',
    "<template><p>Overall status: Withdrawn</p></template>",
]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("where", ["before", "after"])
def test_text_hidden_from_readers_never_sets_a_field(hidden, where):
    """Issue 17 (17): what a reader cannot see is not read, before or after the visible value."""
    visible = FIELDS.format(nct="NCT01234567")
    fields = hidden + visible if where == "before" else visible + hidden
    record = parse_page(PAGE.format(fields=fields).encode())
    assert record["trials"][0]["overall_status"] == "COMPLETED"
    # and hidden text alone fills nothing
    without = PAGE.format(fields=visible.replace("<p>Overall status: Completed</p>", "") + hidden)
    with pytest.raises(ParseError, match="no Overall status"):
        parse_page(without.encode())


@pytest.mark.parametrize("tag", ["div", "section", "span", "li"])
def test_a_page_nested_100000_deep_parses_in_linear_time(tag):
    """Issue 17 (14): an HTML5 parser checks its stack of open elements at each start tag; nesting is
    cut at a browser's depth, so 100,000 nested elements take a fraction of a second, not ~25 s."""
    fields = FIELDS.format(nct="NCT01234567")
    body = PAGE.format(fields=fields + f"<{tag}>x" * 100_000 + f"</{tag}>" * 100_000).encode()
    started = time.process_time()
    record = parse_page(body)
    assert time.process_time() - started < 3
    assert record["trials"][0]["overall_status"] == "COMPLETED"
