"""Parser of a mirror-site trial page (bytes + URL) into the record the legacy XML parser produces.

A mirror page renders the legacy XML elements as `Label: value` lines (see PAGE_LAYOUT and
../shared/data/README.md). The parser reads the page's visible text in document order, whatever the
markup (`<dl>`, a table, paragraphs, plain text), rebuilds the `<clinical_study>` element tree from
the labels it knows, and hands it to the XML parser (etl/ctgov_xml.py): the two sources cannot drift
apart.

Boilerplate never reaches a field because only known labels, in the group they belong to, make
elements; text that is not a label is read only as the value a bare `Label:` line announces, or as
an item of an unlabeled list (`Conditions: Official terms:`), where sign-up lines, login prompts and
lines naming other trials (related-trials lists) are refused. A page without its own trial fields
(a listing, an error page, a login wall) is a ParseError with the reason.
"""
import codecs
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from selectolax.lexbor import LexborHTMLParser

from trials.etl.ctgov_xml import fold_text, read_documents
from trials.etl.record import ParseError, Rejected, single_record


@dataclass
class Field:
    """One label of the page and where its value goes in the XML tree, relative to its parent group.

    kind: `leaf` (value inline or on the next line), `text` (a folded text block: a bare label takes
    the next line whatever it says), `list` (unlabeled item lines), `group` (children follow),
    `section` (a heading only). In `path`, `+name` makes a new element each time the label appears;
    a plain name reuses the last element of that name. `attr` is an XML attribute rendered in
    parentheses after the value (`Enrollment: 40 (Anticipated)`).
    """
    label: str
    path: str
    kind: str = "leaf"
    children: tuple = ()
    attr: str = None
    own_line: bool = False
    index: dict = field(default_factory=dict, repr=False)
    ranks: dict = field(default_factory=dict, repr=False)
    steps: tuple = field(default=(), repr=False)
    repeated: bool = field(default=False, repr=False)

    def __post_init__(self):
        self.index = {child.label.casefold(): child for child in self.children}
        self.ranks = {child.label: rank for rank, child in enumerate(self.children)}
        self.steps = tuple((part.lstrip("+"), part.startswith("+")) for part in self.path.split("/") if part)
        self.repeated = any(new for _, new in self.steps)


def _leaves(*pairs):
    return tuple(Field(label, path) for label, path in pairs)


_OUTCOME = _leaves(("Measure", "measure"), ("Time frame", "time_frame"), ("Description", "description"))
_AGENCY = _leaves(("Agency", "agency"), ("Agency class", "agency_class"))

# The page's fields in the order the mirror site renders them (the seed page's order).
PAGE_LAYOUT = Field("", "", "group", (
    Field("Trial Title", "brief_title"),
    Field("Official title", "official_title"),
    Field("Acronym", "acronym"),
    Field("NCT ID", "id_info/nct_id"),
    Field("Secondary id", "id_info/+secondary_id"),
    Field("Condition", "+condition"),
    Field("Conditions: Official terms", "condition_browse/+mesh_term", "list"),
    Field("Keyword", "+keyword"),
    Field("Study type", "study_type"),
    Field("Study phase", "phase"),
    Field("Overall status", "overall_status"),
    Field("Why stopped", "why_stopped"),
    Field("Study design", "study_design_info", "group", _leaves(
        ("Allocation", "allocation"), ("Intervention model", "intervention_model"),
        ("Primary purpose", "primary_purpose"), ("Masking", "masking"))),
    Field("Enrollment", "enrollment", attr="type"),
    Field("Arm group", "+arm_group", "group", _leaves(
        ("Arm group label", "arm_group_label"), ("Arm group type", "arm_group_type"),
        ("Description", "description"))),
    Field("Intervention", "+intervention", "group", _leaves(
        ("Intervention type", "intervention_type"), ("Intervention name", "intervention_name"),
        ("Description", "description"), ("Arm group label", "+arm_group_label"), ("Other name", "+other_name"))),
    Field("Primary outcome", "+primary_outcome", "group", _OUTCOME),
    Field("Secondary outcome", "+secondary_outcome", "group", _OUTCOME),
    Field("Other outcome", "+other_outcome", "group", _OUTCOME),
    Field("Summary", "brief_summary/textblock", "text"),
    Field("Detailed description", "detailed_description/textblock", "text"),
    Field("Criteria for eligibility", "eligibility", "group", (
        Field("Criteria", "criteria/textblock", "text", own_line=True),
        *_leaves(("Gender", "gender"), ("Minimum age", "minimum_age"), ("Maximum age", "maximum_age"),
                 ("Healthy volunteers", "healthy_volunteers")))),
    Field("Locations", "", "section", (
        Field("Facility", "+location", "group", (
            Field("Name", "facility/name"),
            Field("Address", "facility/address", "group", _leaves(
                ("City", "city"), ("State", "state"), ("Zip", "zip"), ("Country", "country"))),
            Field("Status", "status"))),)),
    *_leaves(("Start date", "start_date"), ("Primary completion date", "primary_completion_date"),
             ("Completion date", "completion_date"), ("Study first posted", "study_first_posted"),
             ("Firstreceived date", "firstreceived_date"), ("Last update posted", "last_update_posted"),
             ("Lastchanged date", "lastchanged_date"), ("Results first posted", "results_first_posted"),
             ("Firstreceived results date", "firstreceived_results_date")),
    Field("Lead sponsor", "sponsors/lead_sponsor", "group", _AGENCY),
    Field("Collaborator", "sponsors/+collaborator", "group", _AGENCY),
    Field("Source", "source"),
    Field("Record processing date", "required_header/download_date"),
    Field("Source: ClinicalTrials.gov page", "required_header/url"),
))

# Tags that flow inline; every other tag starts or ends a block of text. A newline goes before each
# block tag in the bytes, so the parsed document's text keeps the blocks apart (in C, not a Python
# walk over the elements): before every `<` first (bytes.replace), then taken back where no block tag
# follows (an inline tag, or a `<` starting no tag). `re` costs ~0.1 us a match and a page has ~540
# block tags but few others, so this is 1.5x faster than inserting before block tags by a pattern;
# the names grouped by first letter are tried faster than 27 alternatives at each `<`.
_INLINE = rb"a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|fn)|em|font|i|kbd|label|mark|q|s(?:amp|mall|pan|trong|ub|up)?|t(?:ime|t)|u|var|wbr"
# (After an inline tag's name, a newline followed by `<` is one put there, not the page's own.)
_NOT_BEFORE_BLOCK_TAG = re.compile(rb"\n(?=<(?:/?(?:" + _INLINE + rb")(?:[\t\r\f\v />]|\n(?!<))|(?![/a-zA-Z!])))")
_INVISIBLE = ["script", "style", "noscript", "template", "head", "svg", "button", "select", "textarea"]
_HTML = re.compile(rb"^(\xef\xbb\xbf)?\s*<")  # markup of any kind; a page saved as text starts with text
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_BOILERPLATE = re.compile(
    r"\bNCT\d{8}\b|\be-?mail\b|\blog ?in\b|\bsign ?(in|up)\b|password|cookies?\b|subscribe|newsletter|"
    r"\bshare (this|on)\b|\b(related|similar) (clinical )?(trials|studies)\b|privacy|terms of use|copyright|©|"
    r"all rights reserved|back to top|advertisement", re.I)
_ATTR = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_MAX_LABEL = 60
# Control characters are invisible on a page and not allowed in XML text: dropped (whitespace stays).
# They are deleted from the UTF-8 bytes (where no other character has a byte below 0x20), which is
# a C loop, where a regex over the text tests every character on its own.
_CONTROLS = bytes(range(0x00, 0x09)) + bytes(range(0x0e, 0x20))
_TEXT_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # a line that is not blank, first to last visible character


def _charset(body):
    """(body, charset): a byte-order mark wins over what the page declares, then the page's own
    `<meta charset>`, then UTF-8. A UTF-16 page is re-encoded as UTF-8 so the markup test can see it."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16").encode("utf-8"), "utf-8"
    declared = _CHARSET.search(body[:2048])
    return body, declared.group(1).decode() if declared else "utf-8"


def page_lines(body):
    """The page's visible text as lines in document order, whitespace folded, empty lines dropped."""
    body, charset = _charset(body)
    if _HTML.match(body[:512]):
        marked = _NOT_BEFORE_BLOCK_TAG.sub(b"", body.replace(b"<", b"\n<"))
        # Lexbor, an HTML5 parser: the tree and its text in a third of libxml2's time. It takes text,
        # so the page is decoded here, undecodable bytes replaced as a browser does.
        page = LexborHTMLParser(marked.decode(charset, errors="replace"))
        page.strip_tags(_INVISIBLE)
        text = page.root.text()
    else:
        text = body.decode(charset, errors="replace")
    text = text.encode("utf-8", errors="surrogatepass").translate(None, _CONTROLS).decode("utf-8", errors="surrogatepass")
    # Most lines need no folding, and telling so costs less than folding them: a printable line has
    # no whitespace but the ASCII space (every other is a Unicode "Separator" or "Other").
    return [line if "  " not in line and line.isprintable() else fold_text(line) for line in _TEXT_LINE.findall(text)]


def _label(line, stack):
    """(depth in stack, field, inline value) of a known `Label: value` line; None for other text."""
    first = line.find(":")
    if first <= 0 or first > _MAX_LABEL:
        return None
    second = line.find(":", first + 1)
    for end in (second, first) if 0 < second <= _MAX_LABEL else (first,):
        key = line[:end].rstrip().casefold()
        for depth in range(len(stack) - 1, -1, -1):
            child = stack[depth][0].index.get(key)
            if child is not None:
                return depth, child, line[end + 1:].strip()
    return None


# A list item (a MeSH heading) is a short title-cased term: only these words start lowercase in the
# 936 MeSH terms of the shared XML records (besides hyphenated ones: `beta-Thalassemia`).
_TERM_WORDS = frozenset(("and", "in", "of", "the", "to", "vs", "with", "for", "or", "by", "on", "from"))
_MAX_TERM_WORDS = 10


def _is_list_item(line):
    """Whether a line can be an item of an unlabeled list: a term, not a sentence, a heading, a
    prompt or a line naming another trial. The first line that is not one ends the list."""
    words = line.split()
    return (len(words) <= _MAX_TERM_WORDS and line[-1] not in ".!?:" and not _BOILERPLATE.search(line)
            and all(w[0].isupper() or not w[0].isalpha() or w in _TERM_WORDS or "-" in w for w in words))


def _is_heading(line):
    """An unknown `Something:` heading (`Related trials:`, `Contact:`) closes the open groups."""
    return line.endswith(":") and len(line) <= _MAX_LABEL


class _Element:
    """An element of the rebuilt `<clinical_study>` tree. The tree is only built and written out once,
    so plain Python objects do, at a fraction of an lxml element's cost; `last` (tag -> its last
    child of that tag) is the element a plain path step names, found without a walk."""
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
    """Appends the XML text of an element to `parts`, written as lxml writes it."""
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


def _element(parent, steps):
    """The element a field's path (its steps) names under `parent`: made new at `+` steps, else the
    last one of that tag (the one the page is filling)."""
    for tag, new in steps:
        parent = (None if new else parent.last.get(tag)) or parent.append(tag)
    return parent


def _set(parent, spec, value):
    if spec.attr:
        match = _ATTR.match(value)
        if match:
            value, attribute = match.groups()
    element = _element(parent, spec.steps)
    element.text = value
    if spec.attr and match:
        element.attribute = spec.attr, attribute


def _in_order(stack, depth, spec):
    """Whether a label continues the group it names (stack[depth]) in the convention's order.

    A group's labels come in PAGE_LAYOUT order, each once unless repeatable, so a label that goes
    back is not this record's: a footer's `Condition:` or `Source:`, a related trial's `Study phase:`,
    a stray `Description:` after the last intervention, a `Status:` after a facility's own. The one
    exception is a repeated group's first label, which starts the group's next instance (the seed
    lists its second intervention with no new `Intervention:` line, just `Intervention type:` again).
    """
    group, element, last = stack[depth]
    rank = group.ranks[spec.label]
    if rank > last or rank == last and spec.repeated:
        stack[depth][2] = rank
        return True
    if depth and rank == 0 and group.repeated:
        stack[depth][1:] = _element(stack[depth - 1][1], group.steps), rank
        return True
    return False


def _same_trial(study, value):
    """A second `NCT ID:` naming another trial: the page lists several trials, none of them its own."""
    own = study.find("id_info/nct_id")
    if own is not None and value != own.text:
        raise ParseError(f"two different values for 'NCT ID': {own.text!r} and {value!r} (a page listing several trials?)")


def _is_value_of(pending_spec, hit, split_layout):
    """Whether the line after a bare leaf label is that leaf's value rather than the next label.

    Pages put a leaf's value after its label on one line (`Label: value`, the seed) or apart
    (`<dt>`/`<dd>`, table cells). A page written apart can have values that begin like a label
    (`Time Frame: 8 weeks`), so there only a bare `Label:` ends a value; a page
    written inline can have empty fields, so there any label does. The page's own leaves so far
    say which way it is written.
    """
    if pending_spec.kind == "text" or hit is None:
        return True
    return split_layout and bool(hit[2])


def page_to_study(lines):
    """Rebuild the `<clinical_study>` element tree from a page's lines."""
    study = _Element("clinical_study")
    stack = [[PAGE_LAYOUT, study, -1]]  # open groups: field, element, rank of the last label read in it
    pending = None  # a bare `Label:` of a leaf and its depth in the stack (None: an NCT ID to compare)
    items = None  # the element collecting an unlabeled list's items, and the item path
    inline = bare = 0  # leaves seen with their value on the label's line, and apart
    for line in lines:
        hit = None if pending is not None and pending[0].kind == "text" else _label(line, stack)
        if pending is not None:
            spec, depth = pending
            pending = None
            if _is_value_of(spec, hit, bare > inline):
                if depth is None:
                    _same_trial(study, line)
                else:
                    _set(stack[depth][1], spec, line)
                continue
        if hit is None:
            if items is not None and _is_list_item(line):
                items[0].append(items[1]).text = line
                continue
            items = None
            if _is_heading(line):
                del stack[1:]
            continue
        items = None
        depth, spec, value = hit
        if not _in_order(stack, depth, spec):
            if depth == 0:  # a block after (or inside) the record that is not its own: its groups too
                del stack[1:]
                if spec.path == "id_info/nct_id":
                    if value:
                        _same_trial(study, value)
                    else:
                        pending = spec, None
            continue
        del stack[depth + 1:]
        parent = stack[-1][1]
        if spec.kind in ("leaf", "text"):
            if value:
                inline += 1
                _set(parent, spec, value)
            else:
                bare += 1
                pending = spec, depth
        elif spec.kind == "list":
            items = _element(parent, spec.steps[:-1]), spec.steps[-1][0]
            if value:
                items[0].append(items[1]).text = value
        else:
            stack.append([spec, _element(parent, spec.steps), -1])
    return study


def parse_page(body, url=None):
    """One page -> the normalized record (table -> rows); ParseError when it is not a trial page."""
    return single_record(read_pages([body]))


def read_pages(bodies):
    """The pages of a batch -> Rows; a page that cannot become a record is in `rows.rejected`."""
    return read_documents([page_document(body) for body in bodies])


def page_document(body):
    """The `<clinical_study>` element a page rebuilds, as UTF-8 bytes; Rejected when it is no trial page."""
    try:
        study = page_to_study(page_lines(body))
        if study.find("id_info/nct_id") is None:
            raise ParseError("not a trial page: no `NCT ID:` field (a listing, an error page or a login wall?)")
        missing = [label for label, path in (("Trial Title", "brief_title"), ("Overall status", "overall_status"))
                   if study.find(path) is None]
        if missing:
            raise ParseError(f"not a trial page: an `NCT ID:` but no {' or '.join(missing)} (a login wall?)")
        parts = []
        _write(study, parts)
        return "".join(parts).encode()
    except ParseError as exc:
        return Rejected("parse", str(exc))
    except (LookupError, ValueError) as exc:  # ValueError: a lone surrogate (UTF-7) in a value
        return Rejected("parse", f"unreadable page: {type(exc).__name__}: {exc}")
