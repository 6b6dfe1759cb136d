"""A local mirror site on 127.0.0.1 that republishes legacy XML records as trial pages.

Pages follow the mirror convention (../shared/data/README.md), every element of the record, in three
markups (`dl`, `table`, `p`), wrapped in the boilerplate real mirrors add: an email sign-up line,
navigation (with links whose URL says "page" without paging anything), a cookie notice, share buttons, a related-trials list naming other NCT ids, a login form.
The site has paged listings (`/trials?page=N`), `/sitemap.xml`, a robots.txt that disallows
`/search` and `/account/`, a login wall and an error page: what the pages spider has to tell apart.
"""
import contextlib
import html
import re
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from trials.etl.ctgov_xml import fold_text
from trials.local_http import QuietHandler, running

MARKUPS = ("dl", "table", "p")
PAGE_SIZE = 40
RELATED = 3
_TRIAL_PATH = re.compile(r"/trials/(NCT\d{8})")


def study_element(xml):
    """The `<clinical_study>` root of one of the site's own records (entities never resolved)."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


# The convention's renames (../shared/data/README.md); every other label is the element's name in
# sentence case. Containers the seed does not show put their children at the top.
RENAMES = {"brief_title": "Trial Title", "id_info/nct_id": "NCT ID", "phase": "Study phase",
           "condition_browse/mesh_term": "Conditions: Official terms", "brief_summary": "Summary",
           "eligibility": "Criteria for eligibility", "sponsors/lead_sponsor": "Lead sponsor",
           "required_header/download_date": "Record processing date",
           "required_header/url": "Source: ClinicalTrials.gov page"}
_UNSHOWN = ("id_info", "sponsors", "required_header", "condition_browse")
_OWN_LINE = ("eligibility/criteria",)


def label_of(path):
    tag = path.rsplit("/", 1)[-1]
    return RENAMES.get(path) or (tag if tag.isupper() else tag.replace("_", " ").capitalize())


def page_entries(element, path=""):
    """(label, value, children) of the page, in page order; a list item has no label."""
    entries = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        at = f"{path}{child.tag}"
        if child.tag in _UNSHOWN and not path:
            entries += page_entries(child, at + "/")
        elif at == "condition_browse/mesh_term":
            if entries and entries[-1][0] == label_of(at):
                entries[-1][2].append((None, fold_text(child.text), []))
            else:
                entries.append((label_of(at), None, [(None, fold_text(child.text), [])]))
        elif len(child) == 1 and child[0].tag == "textblock":
            value = fold_text(child[0].text)
            if value and at in _OWN_LINE:
                entries.append((label_of(at), None, [(None, value, [])]))
            elif value:
                entries.append((label_of(at), value, []))
        elif len(child):
            entries.append((label_of(at), None, page_entries(child, at + "/")))
        else:
            value = fold_text(child.text)
            if value and child.get("type"):
                value += f" ({child.get('type')})"
            if value:
                entries.append((label_of(at), value, []))
    return entries


def _dl(entries):
    parts = ["<dl>"]
    for label, value, children in entries:
        if label:
            parts.append(f"<dt>{html.escape(label)}:</dt>")
        if value:
            parts.append(f"<dd>{html.escape(value)}</dd>")
        if children:
            parts.append(f"<dd>{_dl(children)}</dd>")
    return "".join(parts) + "</dl>"


def _table(entries):
    rows = []
    for label, value, children in entries:
        if label and value:
            rows.append(f'<tr><th scope="row">{html.escape(label)}:</th><td>{html.escape(value)}</td></tr>')
        elif label:
            rows.append(f'<tr><th colspan="2">{html.escape(label)}:</th></tr>')
        else:
            rows.append(f'<tr><td colspan="2">{html.escape(value)}</td></tr>')
        if children:
            rows.append(f'<tr><td colspan="2">{_table(children)}</td></tr>')
    return '<table class="fields">' + "".join(rows) + "</table>"


def _paragraphs(entries):
    parts = []
    for label, value, children in entries:
        text = f"{label}: {value}" if label and value else f"{label}:" if label else value
        parts.append(f"<p>{html.escape(text)}</p>")
        if children:
            parts.append(f'<div class="group">{_paragraphs(children)}</div>')
    return "".join(parts)


_RENDER = {"dl": _dl, "table": _table, "p": _paragraphs}


def _layout(title, main):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | TrialMirror</title>
<style>body{{font-family:sans-serif}} .cookie{{position:fixed;bottom:0}}</style>
<script>window.analytics = {{page: "{html.escape(title)}: loaded"}};</script></head>
<body>
<div class="signup">To hear about similar clinical trials, please enter your email below
<form action="/account/signup"><input name="email" placeholder="Email:"><button>Sign up</button></form></div>
<nav><a href="/">Home</a> | <a href="/homepage">Our homepage</a> | <a href="/pages/about">About</a>
| <a href="/trials">Browse trials</a> | <a href="/search?q=cancer&amp;page=1">Search</a>
| <a href="/account/login">Log in</a></nav>
<main>{main}</main>
<footer><div class="login"><h3>Login to your account</h3>
<form action="/account/login"><label>Email: <input name="email"></label>
<label>Password: <input name="password" type="password"></label></form>
<p><a href="/account/reset">Did you forget your password?</a></p></div>
<p>Popular searches: <a href="/search?q=diabetes&amp;page=1">diabetes</a>,
<a href="/search?q=asthma&amp;page=1">asthma</a></p>
<p>&copy; 2026 TrialMirror. All rights reserved. Privacy policy | Terms of use</p>
<div class="cookie">We use cookies to improve your experience. Accept cookies?</div></footer>
</body></html>""".encode()


def render_trial_page(xml, markup="dl", related=()):
    """A trial page for one legacy XML record; `related` are (nct_id, title) of other trials."""
    study = study_element(xml)
    title = fold_text(study.findtext("brief_title")) or ""
    links = "".join(f'<li><a href="/trials/{n}">{n}: {html.escape(t)}</a></li>' for n, t in related)
    share = ('<div class="share">Share this trial: <a href="#">Facebook</a> <a href="#">Twitter</a> '
             '<a href="#">Email</a></div>')
    main = (f"<article><h1>{html.escape(title)}</h1>{share}{_RENDER[markup](page_entries(study))}"
            f"</article><aside><h2>Related trials:</h2><ul>{links}</ul></aside>")
    return _layout(title, main)


class MirrorHandler(QuietHandler):
    server_version = "TrialMirror/1"

    def do_GET(self):
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        site = self.server
        site.requests.append(self.path)
        if url.path == "/robots.txt":
            return self.send(200, site.robots(), "text/plain")
        if url.path == "/sitemap.xml":
            return self.send(200, site.sitemap(), "application/xml")
        if url.path in ("/", "/trials"):
            return self.send(200, site.listing(int(params.get("page", 1))), "text/html; charset=utf-8")
        match = _TRIAL_PATH.fullmatch(url.path)
        if match and match.group(1) in site.studies:
            return self.send(200, site.trial(match.group(1), params.get("markup")), "text/html; charset=utf-8")
        if url.path.startswith("/account/"):
            return self.send(200, _layout("Log in", "<h1>Members only</h1><p>Please log in to continue.</p>"),
                             "text/html; charset=utf-8")
        self.send(404, _layout("Not found", "<h1>Page not found</h1><p>Error 404.</p>"), "text/html; charset=utf-8")


class MirrorSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, studies, port=0):
        super().__init__(("127.0.0.1", port), MirrorHandler)
        self.studies = dict(studies)
        self.ids = sorted(self.studies)
        self.position = {nct_id: at for at, nct_id in enumerate(self.ids)}
        self.titles = {n: fold_text(study_element(xml).findtext("brief_title")) for n, xml in self.studies.items()}
        self.requests = []

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def pages(self):
        return max(1, -(-len(self.ids) // PAGE_SIZE))

    def markup(self, nct_id):
        return MARKUPS[self.position[nct_id] % len(MARKUPS)]

    def robots(self):
        return f"User-agent: *\nDisallow: /search\nDisallow: /account/\nSitemap: {self.base_url}/sitemap.xml\n".encode()

    def sitemap(self):
        urls = [f"{self.base_url}/trials?page={p}" for p in range(1, self.pages + 1)]
        urls += [f"{self.base_url}/trials/{n}" for n in self.ids]
        body = "".join(f"<url><loc>{html.escape(u)}</loc></url>" for u in urls)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n').encode()

    def listing(self, page):
        chunk = self.ids[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
        items = "".join(f'<li><a href="/trials/{n}">{n}</a> {html.escape(self.titles[n] or "")}</li>' for n in chunk)
        nav = " ".join(f'<a href="/trials?page={p}">{p}</a>' for p in range(1, self.pages + 1))
        if page < self.pages:
            nav += f' <a rel="next" href="/trials?page={page + 1}">Next</a>'
        return _layout(f"Trials, page {page}",
                       f"<h1>Clinical trials (page {page} of {self.pages})</h1><ul>{items}</ul><p>{nav}</p>")

    def trial(self, nct_id, markup=None):
        at = self.position[nct_id]
        related = [(n, self.titles[n]) for n in (self.ids[(at + k) % len(self.ids)] for k in range(1, RELATED + 1))
                   if n != nct_id]
        return render_trial_page(self.studies[nct_id], markup or self.markup(nct_id), related)


@contextlib.contextmanager
def serve_mirror(studies):
    """Run a MirrorSite of the given {nct_id: legacy XML bytes} for the duration of the block."""
    with running(MirrorSite(studies)) as site:
        yield site
