"""Parser of a mirror-site trial page (bytes and the HTTP `Content-Type`) into the record the legacy
XML parser produces.

A mirror page renders the legacy `<clinical_study>` elements as `Label: value` lines (see LAYOUT and
../shared/data/README.md): a label is the element's name in sentence case or the convention's rename,
an element with children is a `Label:` line followed by its children. The parser reads the page's
visible text as lines in document order, whatever the markup (`<dl>`, tables, nested divs, plain text),
rebuilds the `<clinical_study>` tree from the labels it knows and hands it to the XML parser
(etl/ctgov_xml.py), so the two sources cannot drift apart.

Which text is the trial's own, without relying on one site's order of blocks:
1. What a reader does not see is not read: scripts, styles, `<noscript>`, `<noframes>`, `<noembed>`,
   `<iframe>` and `<template>` content, a `<title>` or `<head>` content in the body, form controls,
   `[hidden]`, `aria-hidden="true"` and `display:none` / `visibility:hidden` boxes (`_INVISIBLE`).
2. Page furniture is not the record: `<nav>`, `<header>`, `<footer>`, `<aside>`, `<form>`, `<dialog>`,
   their ARIA roles, and boxes whose class or id names furniture (`site-footer`, `sidebar`,
   `related-trials`, `promo`, ...) are dropped, unless one holds the trial's own NCT id (a site that
   puts the record's head in a `<header>`, or the record in a `with-sidebar` column).
3. A box that names another trial is that trial's: the page's own NCT id is the `NCT ID:` value the
   page names most often; each other NCT id named outside a field value (a related-trials list, a
   `NCT ID:` of another record, a link to another trial) takes with it the largest element around it
   that does not hold the own id. Two `NCT ID:` values that no box tells apart make the page
   ambiguous: a ParseError, never a guess.
4. Top-level blocks come in any order, but each is one run of lines: a block the page already left
   (another top-level label followed it, or a heading / a dropped box broke it) that comes back is
   another box's (a footer's `Condition:`, a related trial's `Study phase:`), and ignored. Inside a
   group the children keep the schema's order: a label that goes back is not the group's (a stray
   `Description:` after a group's last field), except the group's first child, which starts the next
   instance of a repeated group (the seed lists its second intervention with no `Intervention:`).
5. Only known labels make elements (a group's, a text block's or a list's label may also be a heading
   without its colon); text that is not a label is read only as the value a bare `Label:` announces,
   or as an item of an unlabeled list (`Conditions: Official terms:`), where sign-up lines, prompts
   and lines naming trials are refused. Results (`Clinical results:`) are read as one block that
   only a top-level label ends: their `Title:`s and `Description:`s never reach a field.
A page without its own trial fields (a listing, an error page, a login wall) is a ParseError.
"""
import re
from xml.sax.saxutils import escape

from selectolax.lexbor import LexborHTMLParser
from w3lib.encoding import html_to_unicode

from trials.etl.ctgov_xml import fold_text, read_documents
from trials.etl.record import ParseError, Rejected, single_record


class PageBody(bytes):
    """A fetched page's bytes with its HTTP `Content-Type` header (the charset a server may declare
    only there), as the pages spider yields them."""
    content_type = None

    def __new__(cls, body, content_type=None):
        page = super().__new__(cls, body)
        page.content_type = content_type
        return page

    def __reduce__(self):  # so a batch can go to another process
        return PageBody, (bytes(self), self.content_type)


class Field:
    """An element of the legacy record as a page shows it.

    kind: `leaf` (a value), `text` (a text block: the value is the element's `<textblock>`; a bare
    label takes the next line whatever it says), `list` (unlabeled item lines), `group` (children
    follow), `opaque` (a group whose inside is not read: results). `many`: the element repeats.
    `transparent`: a container the page may leave out (its children are shown at the top).
    """
    def __init__(self, tag, kind="leaf", children=(), labels=(), many=False, attr=None, transparent=False):
        self.tag, self.kind, self.children, self.many, self.attr = tag, kind, children, many, attr
        self.transparent = transparent
        name = tag if tag.isupper() else tag.replace("_", " ").capitalize()
        # A repeated group may come under a plural heading (`Locations:`): an instance it opens and
        # nothing fills is dropped (_prune).
        self.labels = (*labels, name, *((f"{name}s",) if many and kind == "group" else ()))
        self.rank = {child: rank for rank, child in enumerate(children)}
        # label -> the chain of fields from this one's child down to the field it names: its own
        # children, then any descendant whose label is unique below it (a page may leave groups out).
        self.index = {}
        below = {}
        for child in children:
            for label in child.labels:
                below.setdefault(label.casefold(), []).append((child,))
            if child.kind == "group":
                for label, chain in child.index.items():
                    below.setdefault(label, []).append((child, *chain))
        for label, chains in below.items():
            direct = [chain for chain in chains if len(chain) == 1]
            if direct or len(chains) == 1:
                self.index[label] = (direct or chains)[0]

    def __repr__(self):
        return f"Field({self.tag!r})"


def _leaves(*tags, **options):
    return tuple(Field(tag, **options) for tag in tags)


def _contact(tag, **options):
    return Field(tag, "group", _leaves("first_name", "middle_name", "last_name", "degrees", "phone", "phone_ext",
                                       "email"), **options)


def _outcome(tag):
    return Field(tag, "group", _leaves("measure", "time_frame", "safety_issue", "description"), many=True)


def _reference(tag):
    return Field(tag, "group", _leaves("citation", "PMID"), many=True)


_DATED = dict(attr="type")
# The legacy `<clinical_study>` schema (ClinicalTrials.gov's public.xsd) as pages show it: every
# element, children in the schema's order; the first label of a field is the convention's rename.
LAYOUT = Field("clinical_study", "group", (
    Field("required_header", "group", (
        Field("download_date", labels=("Record processing date",)), Field("link_text"),
        Field("url", labels=("Source: ClinicalTrials.gov page",))), transparent=True),
    Field("id_info", "group", (
        Field("org_study_id"), Field("secondary_id", many=True), Field("nct_id", labels=("NCT ID",)),
        Field("nct_alias", many=True)), transparent=True),
    Field("brief_title", labels=("Trial Title",)), Field("acronym"), Field("official_title"),
    Field("sponsors", "group", (
        Field("lead_sponsor", "group", _leaves("agency", "agency_class")),
        Field("collaborator", "group", _leaves("agency", "agency_class"), many=True)), transparent=True),
    Field("source"),
    Field("oversight_info", "group", (
        Field("authority", many=True), *_leaves("has_dmc", "is_fda_regulated_drug", "is_fda_regulated_device",
                                                "is_unapproved_device", "is_ppsd", "is_us_export"))),
    Field("is_fda_regulated"), Field("is_section_801"),
    Field("brief_summary", "text", labels=("Summary",)), Field("detailed_description", "text"),
    Field("overall_status"), Field("last_known_status"), Field("why_stopped"),
    Field("start_date", **_DATED), Field("completion_date", **_DATED), Field("primary_completion_date", **_DATED),
    Field("phase", labels=("Study phase",)), Field("study_type"), Field("has_expanded_access"),
    Field("expanded_access_info", "group", _leaves(
        "expanded_access_type_individual", "expanded_access_type_intermediate", "expanded_access_type_treatment")),
    Field("study_design"),
    Field("study_design_info", "group", _leaves(
        "observational_model", "time_perspective", "allocation", "intervention_model",
        "intervention_model_description", "primary_purpose", "masking", "masking_description"),
        labels=("Study design",)),
    Field("target_duration"),
    _outcome("primary_outcome"), _outcome("secondary_outcome"), _outcome("other_outcome"),
    Field("number_of_arms"), Field("number_of_groups"), Field("enrollment", **_DATED),
    Field("condition", many=True),
    Field("arm_group", "group", _leaves("arm_group_label", "arm_group_type", "description"), many=True),
    Field("intervention", "group", (
        *_leaves("intervention_type", "intervention_name", "description"),
        Field("arm_group_label", many=True), Field("other_name", many=True)), many=True),
    Field("biospec_retention"), Field("biospec_descr", "text"),
    Field("eligibility", "group", (
        Field("study_pop", "text", labels=("Study population",)), Field("sampling_method"),
        Field("criteria", "text"),
        *_leaves("gender", "gender_based", "gender_description", "minimum_age", "maximum_age", "healthy_volunteers")),
        labels=("Criteria for eligibility",)),
    Field("overall_official", "group", _leaves(
        "first_name", "middle_name", "last_name", "degrees", "role", "affiliation"), many=True),
    _contact("overall_contact"), _contact("overall_contact_backup"),
    Field("location", "group", (
        Field("facility", "group", (
            Field("name"),
            Field("address", "group", _leaves("city", "state", "zip", "country")))),
        Field("status"), _contact("contact"), _contact("contact_backup"),
        Field("investigator", "group", _leaves("first_name", "middle_name", "last_name", "degrees", "role",
                                               "affiliation"), many=True)),
        many=True),
    Field("location_countries", "group", (Field("country", many=True),)),
    Field("removed_countries", "group", (Field("country", many=True),)),
    Field("link", "group", _leaves("url", "description"), many=True),
    _reference("reference"), _reference("results_reference"),
    Field("verification_date"),
    *(Field(tag, **_DATED) if tag.endswith("_posted") else Field(tag) for tag in (
        "study_first_submitted", "study_first_submitted_qc", "study_first_posted", "results_first_submitted",
        "results_first_submitted_qc", "results_first_posted", "disposition_first_submitted",
        "disposition_first_submitted_qc", "disposition_first_posted", "last_update_submitted",
        "last_update_submitted_qc", "last_update_posted", "firstreceived_date", "lastchanged_date",
        "firstreceived_results_date", "firstreceived_results_disposition_date")),
    Field("responsible_party", "group", _leaves(
        "name_title", "organization", "responsible_party_type", "investigator_affiliation",
        "investigator_full_name", "investigator_title")),
    Field("keyword", many=True),
    Field("condition_browse", "group", (Field("mesh_term", "list", labels=("Conditions: Official terms",),
                                              many=True),), transparent=True),
    Field("intervention_browse", "group", (Field("mesh_term", many=True),)),
    Field("patient_data", "group", (
        *_leaves("sharing_ipd", "ipd_description"), Field("ipd_info_type", many=True),
        *_leaves("ipd_time_frame", "ipd_access_criteria", "ipd_url"))),
    Field("study_docs", "group", (Field("study_doc", "group", _leaves("doc_id", "doc_type", "doc_url", "doc_comment"),
                                        many=True),)),
    Field("provided_document_section", "group", (Field("provided_document", "group", _leaves(
        "document_type", "document_has_protocol", "document_has_icf", "document_has_sap", "document_date",
        "document_url"), many=True),)),
    Field("pending_results", "group", (Field("submitted", many=True), Field("returned", many=True),
                                       Field("submission_canceled"))),
    Field("clinical_results", "opaque"),
))


def _labels(field):
    yield from (label.casefold() for label in field.labels)
    for child in field.children:
        yield from _labels(child)


_ALL_LABELS = frozenset(_labels(LAYOUT))
_MAX_LABEL = max(map(len, _ALL_LABELS)) + 1

# Tags that flow inline; every other tag starts or ends a block of text. A newline goes before each
# block tag in the bytes, so the parsed document's text keeps the blocks apart (in C, not a Python
# walk over the elements): before every `<` first, then taken back where no block tag follows.
_INLINE = r"a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|fn)|em|font|i|kbd|label|mark|q|s(?:amp|mall|pan|trong|ub|up)?|t(?:ime|t)|u|var|wbr"
_NOT_BEFORE_BLOCK_TAG = re.compile(r"\n(?=<(?:/?(?:" + _INLINE + r")(?:[\t\r\f\v />]|\n(?!<))|(?![/a-zA-Z!])))")
_INVISIBLE = ["script", "style", "noscript", "template", "head", "title", "svg", "button", "select", "textarea",
              "noframes", "noembed", "iframe", "object"]
_HIDDEN = "[hidden], [aria-hidden], [style]"
_HIDDEN_STYLE = re.compile(r"(?i)(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\b")
_FURNITURE = ('nav, header, footer, aside, form, dialog, [role="navigation" i], [role="banner" i], '
              '[role="contentinfo" i], [role="complementary" i], [role="search" i]')
# Furniture a site marks only by its class or id (`<div class="site-footer">`): lexbor picks the
# candidates by substring, then a whole word of the name must be one of these (`nav`, not `canvas`).
_FURNITURE_STEMS = ("footer", "sidebar", "related", "similar", "nav", "menu", "cookie", "banner", "share", "social",
                    "breadcrumb", "advert", "ads", "promo", "signup", "newsletter", "login")
_FURNITURE_NAMED = ", ".join(f'[{attribute}*="{stem}" i]' for attribute in ("class", "id") for stem in _FURNITURE_STEMS)
_FURNITURE_NAME = re.compile(r"(?i)(?:^|[\s_-])(?:" + "|".join(_FURNITURE_STEMS) + r")(?:s|bar)?(?:$|[\s_-])")
# Browsers stop nesting elements at a depth of 512 (Blink's parser); an HTML5 parser checks the stack of
# open elements at each start tag, so a page nested deeper would take time quadratic in its depth.
_MAX_DEPTH = 512
# Measuring the depth is a Python loop over the tags: it runs only where a long run of tags with no
# end tag between them says the page nests deep (or leaves elements open, as `<p>` lines may).
_LONG_RUN = 256
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_NOT_NESTING = frozenset("p li dt dd tr td th option br img input meta link hr wbr col area base source".split())
_BREAK = "\ue000"  # a line standing where a box was dropped: it ends the block before it
_HTML = re.compile(r"^\ufeff?\s*<")  # markup of any kind; a page saved as text starts with text
_NCT = re.compile(r"NCT\d{8}")
# A line that names a trial, where prose that cites one (`completed the trial SP709 (NCT00243217)`) does not.
_NAMING = re.compile(r"(?im)^[^\w\n]*(?:NCT\d{8}|NCT ID:)")
_NCT_ID_LINE = re.compile(r"(?im)^[ \t]*NCT ID:\s*(NCT\d{8})\b")
_BOILERPLATE = re.compile(
    r"\bNCT\d{8}\b|\be-?mail\b|\blog ?in\b|\bsign ?(in|up)\b|password|cookies?\b|subscribe|newsletter|"
    r"\bshare (this|on)\b|\b(related|similar) (clinical )?(trials|studies)\b|privacy|terms of use|copyright|©|"
    r"all rights reserved|back to top|advertisement", re.I)
_ATTR = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
# Control characters are invisible on a page and not allowed in XML text: dropped (whitespace stays).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
_TEXT_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # a line that is not blank, first to last visible character


def page_text(body, content_type=None):
    """The page decoded as a browser does (w3lib: a byte-order mark, then the HTTP header's charset,
    then the page's own `<meta charset>`, then UTF-8)."""
    return html_to_unicode(content_type, bytes(body))[1]


def page_lines(body, content_type=None):
    """The page's visible text, its furniture and other trials' boxes dropped, as lines in document
    order, whitespace folded, empty lines dropped."""
    text = page_text(body, content_type)
    if _HTML.match(text[:512]):
        text = _visible_text(text)
    text = _CONTROLS.sub("", text)
    # Most lines need no folding, and telling so costs less than folding them.
    return [line if "  " not in line and line.isprintable() else fold_text(line) for line in _TEXT_LINE.findall(text)]


def _visible_text(text):
    if max(run.count("<") for run in text.split("</")) > _LONG_RUN:
        text = _flattened(text)
    page = LexborHTMLParser(_NOT_BEFORE_BLOCK_TAG.sub("", text.replace("<", "\n<")))
    page.strip_tags(_INVISIBLE)
    _drop([node for node in page.css(_HIDDEN) if _is_hidden(node.attributes)], "")
    visible = page.root.text() if page.root is not None else ""
    own = _own_nct_id(visible)
    furniture = page.css(_FURNITURE) + [box for box in page.css(_FURNITURE_NAMED) if _FURNITURE_NAME.search(
        f'{box.attributes.get("class") or ""} {box.attributes.get("id") or ""}')]
    _drop(_outermost({box.mem_id: box for box in furniture if own is None or own not in box.text()}),
          f"\n{_BREAK}\n")
    if own is not None:
        _drop(_other_trials(page, own, visible), f"\n{_BREAK}\n")
    return page.root.text() if page.root is not None else ""


def _is_hidden(attributes):
    return ("hidden" in attributes or (attributes.get("aria-hidden") or "").strip().lower() == "true"
            or bool(_HIDDEN_STYLE.search(attributes.get("style") or "")))


def _flattened(text):
    """The page with start and end tags deeper than _MAX_DEPTH left out (their text stays)."""
    depth, parts, at = 0, [], 0
    for tag in _TAG.finditer(text):
        closing, name, empty = tag.groups()
        if empty or name.lower() in _NOT_NESTING:
            continue
        if closing:
            depth -= 1
            deep = depth >= _MAX_DEPTH
        else:
            deep = depth >= _MAX_DEPTH
            depth += 1
        if deep:
            parts.append(text[at:tag.start()])
            at = tag.end()
    return "".join(parts) + text[at:]


def _drop(boxes, replacement):
    """Removes boxes in reverse document order (or boxes apart from each other): a box inside another
    goes first, so each node is still in the tree when it goes."""
    for box in reversed(boxes):
        if replacement:
            box.replace_with(replacement)
        else:
            box.decompose()


def _own_nct_id(text):
    """The trial the page is about: the `NCT ID:` value the page names most often."""
    candidates = _NCT_ID_LINE.findall(text)
    if not candidates:
        return None
    return max(dict.fromkeys(candidates), key=text.count)


def _other_trials(page, own, text):
    """The boxes of other trials the page names (rule 3): around each mention of another NCT id that
    is not in a field value, the largest element that does not hold the page's own id."""
    mentions = [node for nct in sorted(set(_NCT.findall(text)) - {own})
                for node in page.css(f':lexbor-contains("{nct}")') if _NAMING.search(node.text())]
    mentions += [link for link in page.css('a[href*="NCT" i]') if own not in link.attributes.get("href", "")
                 and _NCT.search(link.attributes.get("href", ""))]
    boxes, holds_own = {}, {}
    for node in mentions:
        if _in_field_value(node, own):
            continue
        box = node
        while box.parent is not None and box.parent.tag not in ("body", "html"):
            parent = box.parent.mem_id
            if parent not in holds_own:
                holds_own[parent] = own in box.parent.text()
            if holds_own[parent]:
                break
            box = box.parent
        if box is node and len(_TEXT_LINE.findall(node.text())) < 2:
            continue  # no box around it: nothing tells it from the page's own fields (an ambiguous page)
        boxes[box.mem_id] = box
    return _outermost(boxes)


def _outermost(boxes):
    """The boxes (mem_id -> node) inside none of the others: apart from each other, so any order drops them."""
    def inside_another(node):
        node = node.parent
        while node is not None:
            if node.mem_id in boxes:
                return True
            node = node.parent
        return False
    return [box for box in boxes.values() if not inside_another(box)]


def _in_field_value(node, own):
    """Whether a mention is part of a field's value: its line starts with a known label (other than an
    `NCT ID:`, which makes it another record), or the element before it ends with a bare known label."""
    lines = _TEXT_LINE.findall(node.text())
    first = next((line for line in lines if _NCT.search(line)), "")
    label = first.split(":", 1)[0].strip().casefold() if ":" in first[:_MAX_LABEL] else None
    if label in _ALL_LABELS:
        return label != "nct id"
    before = _previous_text(node)
    if before is None:
        return False
    last = _TEXT_LINE.findall(before.text())
    return bool(last) and last[-1].endswith(":") and last[-1][:-1].strip().casefold() in _ALL_LABELS


def _previous_text(node):
    """The element with text just before `node` in document order (a sibling of it or of one of its
    closest ancestors: a `<td>` value's label is in the row before)."""
    for _ in range(8):
        before = node.prev
        while before is not None and not (before.text() or "").strip():
            before = before.prev
        if before is not None or node.parent is None:
            return before
        node = node.parent
    return None


def _label(line, stack, nested=True):
    """(depth in stack, chain of fields, inline value) of a known `Label: value` line; None for other text.
    nested=False (inside results): only a top-level field's own label, no implied group."""
    first = line.find(":")
    if 0 < first <= _MAX_LABEL:
        second = line.find(":", first + 1)
        for end in (second, first) if 0 < second <= _MAX_LABEL else (first,):
            key = line[:end].rstrip().casefold()
            for depth in range(len(stack) - 1, -1, -1):
                chain = stack[depth][0].index.get(key)
                if chain is not None and (nested or len(chain) == 1 or chain[0].transparent and len(chain) == 2):
                    if stack[depth][0].transparent:  # its children are top-level blocks of their own
                        return depth - 1, (stack[depth][0], *chain), line[end + 1:].strip()
                    return depth, chain, line[end + 1:].strip()
    heading = _heading(line, stack) if len(line) < _MAX_LABEL else None
    return heading if nested or heading is None or len(heading[1]) == 1 or heading[1][0].transparent else None


def _heading(line, stack):
    """The label of a group, a text block or a list written as a heading without its colon
    (`<h3>Study design</h3>`, `<th>Criteria</th>`); the value of a leaf never comes without one."""
    key = line.casefold()
    for depth in range(len(stack) - 1, -1, -1):
        chain = stack[depth][0].index.get(key)
        if chain is not None:
            if chain[-1].kind == "leaf":
                return None
            if stack[depth][0].transparent:
                return depth - 1, (stack[depth][0], *chain), None
            return depth, chain, None  # None: no colon, so the value of a bare label before it, if any
    return None


# A list item (a MeSH heading) is a short title-cased term: only these words start lowercase in MeSH
# disease headings (besides hyphenated ones: `beta-Thalassemia`).
_TERM_WORDS = frozenset(("and", "in", "of", "the", "to", "vs", "with", "for", "or", "by", "on", "from", "von", "de",
                         "du", "la", "le", "alpha", "beta", "gamma", "delta", "kappa", "situ", "vitro", "vivo"))
_MAX_TERM_WORDS = 10


def _is_list_item(line):
    """Whether a line can be an item of an unlabeled list: a term, not a sentence, a heading, a
    prompt or a line naming a trial. The first line that is not one ends the list."""
    words = line.split()
    return (len(words) <= _MAX_TERM_WORDS and line[-1] not in ".!?:" and not _BOILERPLATE.search(line)
            and all(w[0].isupper() or not w[0].isalpha() or w in _TERM_WORDS or "-" in w for w in words))


def _is_heading(line):
    """An unknown `Something:` heading (`Related trials:`) or a dropped box ends the open block."""
    return line.endswith(":") and len(line) <= _MAX_LABEL


class _Element:
    """An element of the rebuilt `<clinical_study>` tree; `last` is tag -> its last child of that tag."""
    __slots__ = ("tag", "text", "attribute", "children", "last")

    def __init__(self, tag):
        self.tag = tag
        self.text = None
        self.attribute = None  # (name, value) or None: a field has at most one
        self.children = []
        self.last = {}

    def append(self, tag):
        child = self.last[tag] = _Element(tag)
        self.children.append(child)
        return child

    def find(self, path):
        """The element at a path of plain steps (`id_info/nct_id`), or None."""
        element = self
        for tag in path.split("/"):
            element = element.last.get(tag)
            if element is None:
                return None
        return element


_QUOTE = {'"': "&quot;"}


def _write(element, parts):
    """Appends the XML text of an element to `parts`."""
    tag = element.tag
    parts.append(f"<{tag}")
    if element.attribute:
        name, value = element.attribute
        parts.append(f' {name}="{escape(value, _QUOTE)}"')
    if element.text is None and not element.children:
        parts.append("/>")
        return
    parts.append(">")
    if element.text is not None:
        parts.append(escape(element.text))
    for child in element.children:
        _write(child, parts)
    parts.append(f"</{tag}>")


class _Builder:
    """Rebuilds the `<clinical_study>` tree from a page's lines (the rules in the module docstring)."""

    def __init__(self):
        self.study = _Element("clinical_study")
        self.stack = [[LAYOUT, self.study, -1]]  # open groups: field, element, rank of the last child read
        self.pending = None  # a bare label: (field, element to fill), or (None, None) for an NCT ID to compare
        self.items = None  # (element, tag) collecting an unlabeled list's items
        self.block = None  # the top-level field whose block is being read
        self.left = set()  # top-level fields whose block ended
        self.inline = self.bare = 0  # leaves seen with their value on the label's line, and apart
        self.skip = False  # inside results: the next line is the value of a bare label there

    def end_block(self):
        if self.block is not None:
            self.left.add(self.block)
        self.block = None
        del self.stack[1:]

    def read(self, lines):
        for line in lines:
            self.line(line)
        return self.study

    def line(self, line):
        if line == _BREAK:
            self.pending = self.items = None
            self.end_block()
            return
        pending = self.pending
        opaque = self.stack[-1][0].kind == "opaque"  # inside results: only a top-level label ends them
        if opaque and self.skip:  # the value of a results field's bare `Label:` (`Title:` / `Intervention`)
            self.skip = False
            return
        hit = None if pending is not None and pending[0] is not None and pending[0].kind == "text" \
            else _label(line, self.stack, nested=not opaque)
        if pending is not None:
            self.pending = None
            if self._is_value(pending[0], hit):
                self._fill(*pending, line)
                return
        if hit is None:
            if self.items is not None and _is_list_item(line):
                self.items[0].append(self.items[1]).text = line
                return
            self.items = None
            if opaque:
                self.skip = line.endswith(":")
            elif _is_heading(line) or self._names_another_trial(line):
                self.end_block()
            return
        self.items = None
        depth, chain, value = hit
        if depth == 0:
            top = chain[1] if chain[0].transparent and len(chain) > 1 else chain[0]
            if top is not self.block:
                if top in self.left:
                    if top.tag == "id_info" or chain[-1].tag == "nct_id":
                        self._compare_nct_id(value)
                    self.end_block()
                    return
                self.end_block()
                self.block = top
        del self.stack[depth + 1:]
        if all(self._open(field) for field in chain[:-1]):
            self._place(chain[-1], value)

    def _names_another_trial(self, line):
        if "NCT" not in line:
            return False
        own = self.study.find("id_info/nct_id")
        return any(nct != (own and own.text) for nct in _NCT.findall(line))

    def _compare_nct_id(self, value):
        if value:
            self._fill(None, None, value)
        else:
            self.pending = None, None

    def _is_value(self, field, hit):
        """Whether the line after a bare leaf label is that leaf's value rather than the next label.

        Pages put a value after its label on one line (`Label: value`) or apart (`<dt>`/`<dd>`, cells).
        A page written apart can have values that begin like a label (`Time Frame: 8 weeks`), so there
        only a bare `Label:` ends a value; a page written inline can have empty fields, so there any
        label does. The page's own leaves so far say which way it is written."""
        if field is not None and field.kind == "text" or hit is None or hit[2] is None:
            return True
        return self.bare > self.inline and bool(hit[2])

    def _fill(self, field, element, value):
        if field is None:
            own = self.study.find("id_info/nct_id")
            if own is not None and value != own.text:
                raise ParseError(f"two different values for 'NCT ID': {own.text!r} and {value!r} "
                                 "(a page listing several trials?)")
            return
        if field.attr:
            match = _ATTR.match(value)
            if match:
                value, attribute = match.groups()
                element.attribute = field.attr, attribute
        element.text = value

    def _in_order(self, field):
        """Whether `field` continues the innermost open group (rule 4); starts the group's next
        instance when it is a repeated group's first child coming again."""
        entry = self.stack[-1]
        group, element, last = entry
        if group is LAYOUT:
            return True
        rank = group.rank[field]
        if rank > last or rank == last and field.many:
            entry[2] = rank
            return True
        if rank == 0 and group.many:
            entry[1], entry[2] = self.stack[-2][1].append(group.tag), rank
            return True
        return False

    def _open(self, field):
        """Opens a group a label names through (the page left the group's own `Label:` line out):
        the last one of its tag; a repeated group's next one starts when its first child comes again."""
        if not self._in_order(field):
            return False
        parent = self.stack[-1][1]
        self.stack.append([field, parent.last.get(field.tag) or parent.append(field.tag), -1])
        return True

    def _place(self, field, value):
        if not self._in_order(field):
            return
        parent = self.stack[-1][1]
        if field.kind in ("group", "opaque"):
            element = parent.last.get(field.tag) if not field.many else None
            self.stack.append([field, element or parent.append(field.tag), -1])
            return
        if field.kind == "list":
            self.items = parent, field.tag
            if value:
                parent.append(field.tag).text = value
            return
        if not field.many and parent.last.get(field.tag) is not None and parent.last[field.tag].text is not None:
            return
        element = parent.append(field.tag)
        if field.kind == "text":
            element = element.append("textblock")
        if value:
            self.inline += 1
            self._fill(field, element, value)
        else:
            self.bare += 1
            self.pending = field, element


def page_to_study(lines):
    """Rebuild the `<clinical_study>` element tree from a page's lines."""
    return _Builder().read(lines)


def parse_page(body, url=None, content_type=None):
    """One page -> the normalized record (table -> rows); ParseError when it is not a trial page."""
    return single_record(read_pages([PageBody(body, content_type or getattr(body, "content_type", None))]))


def read_pages(bodies):
    """The pages of a batch (bytes, or PageBody with the HTTP `Content-Type`) -> Rows; a page that
    cannot become a record is in `rows.rejected`."""
    return read_documents([page_document(body, getattr(body, "content_type", None)) for body in bodies])


def page_document(body, content_type=None):
    """The `<clinical_study>` element a page rebuilds, as UTF-8 bytes; Rejected when it is no trial page."""
    try:
        study = page_to_study(page_lines(body, content_type))
        if study.find("id_info/nct_id") is None:
            raise ParseError("not a trial page: no `NCT ID:` field (a listing, an error page or a login wall?)")
        missing = [label for label, path in (("Trial Title", "brief_title"), ("Overall status", "overall_status"))
                   if study.find(path) is None or study.find(path).text is None]
        if missing:
            raise ParseError(f"not a trial page: an `NCT ID:` but no {' or '.join(missing)} (a login wall?)")
        _prune(study)
        parts = []
        _write(study, parts)
        return "".join(parts).encode()
    except ParseError as exc:
        return Rejected("parse", str(exc))
    except (LookupError, ValueError) as exc:  # ValueError: a lone surrogate (UTF-7) in a value
        return Rejected("parse", f"unreadable page: {type(exc).__name__}: {exc}")


def _prune(element):
    """Drops elements a bare label opened that never got a value (a page's empty field)."""
    element.children = [child for child in element.children if _prune(child) or child.text is not None]
    return bool(element.children)
