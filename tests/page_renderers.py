"""Mirror pages of legacy XML records, written for the tests apart from the product (trials/mirror_site.py
and etl/mirror_page.py), from the page convention alone (../shared/data/README.md): every element of
the record, in several markups and orders of the top-level blocks, among boilerplate, a related-trials
box that repeats the convention's labels, a sidebar and a footer.
"""
import functools
import html
import random

from lxml import etree

RENAMES = {"brief_title": "Trial Title", "id_info/nct_id": "NCT ID", "phase": "Study phase",
           "condition_browse/mesh_term": "Conditions: Official terms", "brief_summary": "Summary",
           "eligibility": "Criteria for eligibility", "eligibility/gender": "Gender",
           "sponsors/lead_sponsor": "Lead sponsor", "required_header/download_date": "Record processing date",
           "required_header/url": "Source: ClinicalTrials.gov page"}
# Containers the seed page does not show: their children are blocks of the page's top level.
UNSHOWN = {"id_info", "sponsors", "required_header", "condition_browse"}
# The seed page's blocks, in its order (element paths).
SEED_ORDER = ["brief_title", "id_info/nct_id", "condition", "condition_browse/mesh_term", "study_type", "phase",
              "overall_status", "study_design_info", "intervention", "brief_summary", "detailed_description",
              "eligibility", "location", "start_date", "completion_date", "sponsors/lead_sponsor", "source",
              "required_header/download_date", "required_header/url"]
MARKUPS = ("dl", "table", "div")
ORDERS = ("schema", "seed", "shuffled")


def _folded(text):
    return " ".join((text or "").split())


def _label(path):
    tag = path.rsplit("/", 1)[-1]
    return RENAMES.get(path) or (tag if tag.isupper() else tag.replace("_", " ").capitalize())


class Node:
    """One labelled line of the page: a value, or children (a group), or unlabeled items (a list)."""
    def __init__(self, path, value=None, children=(), items=(), own_line=False):
        self.path, self.label, self.value = path, _label(path), value
        self.children, self.items, self.own_line = list(children), list(items), own_line


def _nodes(element, path):
    nodes = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        at = f"{path}/{child.tag}" if path else child.tag
        if at in UNSHOWN:
            nodes += _nodes(child, at)
        elif at == "condition_browse/mesh_term":
            if nodes and nodes[-1].path == at:
                nodes[-1].items.append(_folded(child.text))
            else:
                nodes.append(Node(at, items=[_folded(child.text)]))
        elif len(child) == 1 and child[0].tag == "textblock":
            if _folded(child[0].text):
                nodes.append(Node(at, _folded(child[0].text), own_line=at == "eligibility/criteria"))
        elif len(child):
            nodes.append(Node(at, children=_nodes(child, at)))
        elif _folded(child.text):
            value = _folded(child.text)
            nodes.append(Node(at, f"{value} ({child.get('type')})" if child.get("type") else value))
    return nodes


@functools.lru_cache(maxsize=4096)
def _record_nodes(xml):
    """The record's nodes, read once for all the pages a test renders of it."""
    return tuple(_nodes(etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True)), ""))


def blocks(xml, order, seed=0):
    """The record's top-level blocks (lists of nodes: a repeated element's instances stay together)."""
    grouped = {}
    for node in _record_nodes(xml):
        grouped.setdefault(node.path, []).append(node)
    paths = list(grouped)
    if order == "seed":
        first = [p for p in SEED_ORDER if p in grouped]
        rest = [p for p in paths if p not in SEED_ORDER]
        paths = first + rest  # everything the seed does not show after its last `Source:`
    elif order == "shuffled":
        random.Random(seed).shuffle(paths)
    elif order == "reversed":
        paths.reverse()
    return [grouped[path] for path in paths]


def _dl(nodes):
    out = ["<dl>"]
    for node in nodes:
        out.append(f"<dt>{html.escape(node.label)}:</dt>")
        if node.value is not None:
            out.append(f"<dd>{html.escape(node.value)}</dd>")
        out += [f"<dd>{html.escape(item)}</dd>" for item in node.items]
        if node.children:
            out.append(f"<dd>{_dl(node.children)}</dd>")
    return "".join(out) + "</dl>"


def _table(nodes):
    rows = []
    for node in nodes:
        if node.value is not None and not node.own_line:
            rows.append(f"<tr><th>{html.escape(node.label)}:</th><td>{html.escape(node.value)}</td></tr>")
            continue
        rows.append(f'<tr><th colspan="2" class="group">{html.escape(node.label)}:</th></tr>')
        if node.value is not None:
            rows.append(f'<tr><td colspan="2">{html.escape(node.value)}</td></tr>')
        rows += [f'<tr><td></td><td>{html.escape(item)}</td></tr>' for item in node.items]
        if node.children:
            rows.append(f'<tr><td></td><td>{_table(node.children)}</td></tr>')
    return '<table class="record">' + "".join(rows) + "</table>"


def _div(nodes):
    out = []
    for node in nodes:
        label = f'<span class="label">{html.escape(node.label)}:</span>'
        if node.value is not None and not node.own_line:
            out.append(f'<div class="field">{label} <span class="value">{html.escape(node.value)}</span></div>')
            continue
        out.append(f'<section class="group"><h4>{label}</h4>')
        if node.value is not None:
            out.append(f'<div class="text">{html.escape(node.value)}</div>')
        out += [f'<div class="item">{html.escape(item)}</div>' for item in node.items]
        out.append(_div(node.children) + "</section>")
    return "".join(out)


def _li(nodes):
    out = ["<ul>"]
    for node in nodes:
        out.append(f"<li><strong>{html.escape(node.label)}:</strong>")
        if node.value is not None:
            out.append(" " + html.escape(node.value))
        if node.items:
            out.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in node.items) + "</ul>")
        if node.children:
            out.append(_li(node.children))
        out.append("</li>")
    return "".join(out) + "</ul>"


def _headings(nodes):
    """A table whose group, text and list labels are headings without their colon."""
    rows = []
    for node in nodes:
        if node.value is not None and not node.own_line:
            rows.append(f"<tr><th>{html.escape(node.label)}:</th><td>{html.escape(node.value)}</td></tr>")
            continue
        rows.append(f'<tr><th colspan="2"><h4>{html.escape(node.label)}</h4></th></tr>')
        if node.value is not None:
            rows.append(f'<tr><td colspan="2">{html.escape(node.value)}</td></tr>')
        rows += [f'<tr><td colspan="2">{html.escape(item)}</td></tr>' for item in node.items]
        if node.children:
            rows.append(f'<tr><td colspan="2">{_headings(node.children)}</td></tr>')
    return "<table>" + "".join(rows) + "</table>"


RENDER = {"dl": _dl, "table": _table, "div": _div, "li": _li, "headings": _headings}


def _text(nodes):
    lines = []
    for node in nodes:
        if node.value is not None and not node.own_line:
            lines.append(f"{node.label}: {node.value}")
        else:
            lines += [f"{node.label}:", *([node.value] if node.value is not None else [])]
        lines += node.items
        if node.children:
            lines.append(_text(node.children))
    return "\n".join(lines)


def render_text(xml, order, seed=0):
    """A page saved as text, like the seed: blocks apart by blank lines, boilerplate around them."""
    body = "\n\n".join(_text(block) for block in blocks(xml, order, seed))
    return ("To hear about similar clinical trials, please enter your email below\n\n" + body
            + "\n\nLogin to your account\n\nDid you forget your password?").encode()


def related_box(markup, trials):
    """Other trials with the convention's labels, inside the page's main column."""
    cards = "".join(
        f'<div class="card"><a href="/trial/{nct}">{nct}</a> {html.escape(title)}'
        + RENDER[markup]([Node("phase", "Phase 2"), Node("condition", "Advertised Condition"),
                          Node("overall_status", "Recruiting"), Node("acronym", "RELATED"),
                          Node("source", "TrialMirror Network")])
        + "</div>" for nct, title in trials)
    return f'<div class="related"><h3>Related trials:</h3>{cards}</div>'


def render(xml, markup, order, related=(("NCT09999991", "Another trial"), ("NCT09999992", "Yet another")), seed=0):
    """A whole page: one record's blocks among boilerplate; the related box sits between two blocks."""
    parts = [RENDER[markup](block) for block in blocks(xml, order, seed)]
    parts.insert(len(parts) // 2, related_box(markup, related))
    main = "".join(parts)
    sidebar = ('<aside class="sidebar"><h3>Trial at a glance</h3>'
               + RENDER[markup]([Node("phase", "Phase 3"), Node("condition", "Sidebar Condition"),
                                 Node("why_stopped", "Sidebar reason"), Node("source", "Sidebar Source")]) + "</aside>")
    # Furniture marked only by its class: fields most records lack, which nothing else would fill.
    promo = ('<div class="promo-box"><p>Featured:</p>'
             + RENDER[markup]([Node("why_stopped", "Promo reason"), Node("enrollment", "999 (Actual)")]) + "</div>")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trial | Mirror</title>
<script>var labels = "Study phase: Phase 4";</script></head><body>
<header><a href="/">Mirror</a> <a href="/login">Log in</a></header>
<p class="signup">To hear about similar clinical trials, please enter your email below</p>
<nav><ul><li><a href="/trials?page=2">Next page</a></li><li>Condition: Browse by condition</li></ul></nav>
{sidebar}
<main><div class="share">Share this trial: Email | Twitter</div>{main}</main>
{promo}
<div class="site-footer"><p>Source: TrialMirror footer</p><p>Study phase: Footer phase</p>
<p>Official title: Footer title</p><p>Login to your account</p></div>
<footer><p>Did you forget your password?</p><p>We use cookies.</p></footer></body></html>""".encode()
