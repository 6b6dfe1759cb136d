"""EU Clinical Trials Register full-text downloads: `Summary`, `EudraCT Number: ...`, sections A.-P.

The register keeps one record per member state (and `3rd` for a trial run only outside the EEA) of
each trial; a download holds several, each starting with `Summary` and `EudraCT Number:`.
`split_text` cuts a download into those records, which the store keeps as records of `euctr_text`;
`read_records` parses a batch of them into the store's tables (etl/registry.py), one registration
`<EudraCT number>-<country code>` each; `read_pages` reads the register's HTML protocol pages of the
same records (`euctr_page`) through the same fields. A value the register could not render
(`JSON_ERROR_HERE`) is flagged `bad_value:<field code>` in `record_flags` and left out; a country
record served twice is parsed from its later version and flagged `earlier_versions:1`. Pure: bytes
in, tables out.
"""
import re

from parsel import Selector

from trials.etl import registry
from trials.etl.record import ParseError, Rejected
from trials.etl.vocab import country_code

SOURCE_FAMILY = "euctr"
BAD_VALUE = "JSON_ERROR_HERE"
EUDRACT = re.compile(r"^\d{4}-\d{6}-\d{2}$")

_RECORD_START = re.compile(r"^Summary[ \t]*\r?\n(?=EudraCT Number:)", re.M)
_SUMMARY_KEYS = ("EudraCT Number", "Sponsor's Protocol Code Number", "National Competent Authority",
                 "Clinical Trial Type", "Trial Status",
                 "Date on which this record was first entered in the EudraCT database", "Link")
_SUMMARY = re.compile(r"^(%s):[ \t]?(.*)$" % "|".join(map(re.escape, _SUMMARY_KEYS)))
# `A.3 Full title of the trial: ...`, `B.1.3.4<TAB>Country: ...`, `B.3.1 and B.3.2<TAB>Status ...: ...`,
# `N. Date of Competent Authority Decision: ...`; a coded line without `: ` is a heading.
_FIELD = re.compile(r"^(?P<code>[A-P](?:\.[0-9A-Z]+)*\.?(?: and [A-P](?:\.[0-9]+)+)?)[ \t]+(?P<label>[^\n]*?)"
                    r"(?::[ \t]?(?P<value>.*))?$")
_TRANSLATION = re.compile(r"\([a-z]{2}\)$")
_LINK_LINE = re.compile(r"^Link:\s*(\S+?)/?\s*$", re.M)
_COUNTRY_IN_LINK = re.compile(r"/trial/(\d{4}-\d{6}-\d{2})/([A-Za-z0-9]+)/?$")


def split_text(data):
    """The country records of a full-text download, as bytes, in order; ParseError when it has none.

    The register may serve a country's record twice in one download (two versions, the later one
    current, as ctrdata keeps it): such versions are one body, in the order served, so that the store
    sees each registration once per fetch and a download fetched again changes nothing."""
    text = data.decode("utf-8", errors="replace")
    starts = [match.start() for match in _RECORD_START.finditer(text)]
    if not starts:
        raise ParseError("not an EU register full-text download: no `Summary` / `EudraCT Number:` record")
    versions = {}
    for start, end in zip(starts, starts[1:] + [len(text)]):
        record = text[start:end].strip()
        link = _LINK_LINE.search(record)
        versions.setdefault(link.group(1) if link else start, []).append(record)
    return ["\n\n".join(records).encode("utf-8") for records in versions.values()]


def fields_of(text):
    """[(code, label, value)] of a record in order: summary lines get the code `Summary`; a value
    running over several lines is joined with newlines; headings have the value None."""
    fields = []
    for line in text.splitlines():
        summary = _SUMMARY.match(line)
        coded = None if summary else _FIELD.match(line)
        if summary:
            fields.append(["Summary", summary.group(1), summary.group(2)])
        elif coded:
            fields.append([coded.group("code"), coded.group("label").strip(), coded.group("value")])
        elif fields and fields[-1][2] is not None and line.strip():
            fields[-1][2] += "\n" + line  # continued
        elif fields and fields[-1][2] is None and line.strip() and fields[-1][0].startswith("E.8.6.3"):
            fields[-1][2] = line
        elif line.strip() == "" and fields:
            fields.append(["", "", None])  # a blank line ends a value
    return [(code, label, value) for code, label, value in fields if code]


def record_of(body):
    """One country record -> (store key, registry_records row, registry_values rows)."""
    versions = _RECORD_START.split(body.decode("utf-8", errors="replace"))
    text = versions[-1]  # the current version of a record served twice
    fields = fields_of(text)
    earlier = len([v for v in versions[:-1] if v.strip()])
    flags = [f"earlier_versions:{earlier}"] if earlier else []
    flags += [f"bad_value:{code if code != 'Summary' else label}" for code, label, value in fields
             if value is not None and value.strip() == BAD_VALUE]
    values = {}
    for code, label, value in fields:
        if value is not None and value.strip() != BAD_VALUE and not _TRANSLATION.search(label):
            values.setdefault(code if code != "Summary" else label, []).append(value)

    def first(*codes):
        for code in codes:
            for value in values.get(code, []):
                if registry.clean(value):
                    return value
        return None

    def every(code):
        return [registry.one_line(value) for value in values.get(code, []) if registry.one_line(value)]

    eudract = registry.one_line(first("EudraCT Number", "A.2"))
    if not eudract or not EUDRACT.match(eudract):
        raise ParseError(f"no EudraCT number in the record: {eudract!r}")
    link = registry.one_line(first("Link"))
    in_link = _COUNTRY_IN_LINK.search(link or "")
    authority = registry.one_line(first("National Competent Authority", "A.1"))
    member_state = authority.split(" - ")[0].strip() if authority else None
    country = in_link.group(2).upper() if in_link and in_link.group(1) == eudract else country_code(member_state)
    if (in_link and in_link.group(2).lower() == "3rd") or (
            not in_link and (registry.one_line(first("Clinical Trial Type")) or "").lower() == "outside eu/eea"):
        country = "3rd"  # the register's record of a trial run only outside the EEA
    if not country:
        raise ParseError(f"record of {eudract}: no member state in its link or authority ({authority!r})")

    def date(*codes):
        try:
            return registry.parse_date(first(*codes))
        except ValueError:
            flags.append(f"unparsed_date:{codes[0]}")
            return None

    phase_lines = [f"{label}: {registry.one_line(value)}" for code, label, value in fields
                   if code in ("E.7.1", "E.7.2", "E.7.3", "E.7.4") and value is not None]
    raw_phase = "\n".join(phase_lines) or None
    raw_status = registry.one_line(first("Trial Status", "P."))
    sponsors = every("B.1.1")
    record = {
        "registry": "EUCTR", "trial_id": f"{eudract}-{country}", "source_register": "EU Clinical Trials Register",
        "url": link or f"https://www.clinicaltrialsregister.eu/ctr-search/trial/{eudract}/{country}",
        "public_title": registry.one_line(first("A.3.1", "A.3.2", "A.3")),
        "scientific_title": registry.one_line(first("A.3")),
        "acronym": registry.one_line(first("A.3.2")),
        "primary_sponsor": sponsors[0] if sponsors else None,
        "registry_status": raw_status, "status": registry.status(raw_status),
        "registry_phase": raw_phase, "phase": registry.phase(raw_phase),
        "study_type": registry.one_line(first("Clinical Trial Type")),
        "registration_date": date("Date on which this record was first entered in the EudraCT database"),
        "start_date": _decision_date(fields, flags),
        "target_size_text": registry.one_line(first("F.4.2.2", "F.4.2.1", "F.4.1")),
        "target_size": registry.target_size(first("F.4.2.2", "F.4.2.1", "F.4.1")),
        "inclusion_criteria": registry.clean(first("E.3")),
        "exclusion_criteria": registry.clean(first("E.4")),
        "primary_outcome": registry.clean(first("E.5.1")),
        "last_refreshed": None,
        "record_flags": flags,
    }
    outside = [registry.one_line(line) for value in values.get("E.8.6.3", []) for line in value.splitlines()]
    countries = ([member_state] if member_state else []) + [name for name in outside if name]
    secondary = [registry.one_line(v) for code in ("A.5.1", "A.5.2", "A.5.3", "A.5.4") for v in values.get(code, [])]
    rows = (registry.countries(countries)
            + registry.values("condition", every("E.1.1"))
            + registry.values("intervention", every("D.3.1") or every("D.3.8"))
            + registry.values("secondary_id", [v for v in secondary if v])
            + registry.values("sponsor_protocol_id", every("A.4.1"))
            + registry.values("secondary_sponsor", sponsors[1:]))
    return f"{SOURCE_FAMILY}:{eudract}-{country}", record, rows


def _decision_date(fields, flags):
    """`N. Date of Competent Authority Decision`, the record's start in the member state."""
    for code, label, value in fields:
        if code == "N." and label == "Date of Competent Authority Decision" and value and value.strip() != BAD_VALUE:
            try:
                return registry.parse_date(value)
            except ValueError:
                flags.append("unparsed_date:N.")
    return None


def page_text(body):
    """An EU register protocol page (`/ctr-search/trial/{eudract}/{country}`, HTML) as the full-text
    download writes the same record: `Summary` lines, then `<code> <label>: <value>` per field."""
    page = Selector(text=body.decode("utf-8", errors="replace"), type="html")
    lines = ["Summary"]
    for row in page.xpath('//table[@id="section-summary" or contains(@class, "summary")]//tr'):
        line = " ".join(" ".join(row.xpath(".//text()").getall()).split())
        if ": " in line:
            lines.append(line)
    for row in page.css("tr.tricell"):
        code = " ".join(row.css("td.first ::text").getall()).strip()
        label = " ".join(" ".join(row.css("td.second ::text").getall()).split())
        value = "\n".join(text.strip() for text in row.css("td.third ::text").getall() if text.strip())
        lines.append(f"{code} {label}: {value}")
    if len(lines) == 1:
        raise ParseError("not an EU register protocol page: no summary and no field rows")
    return "\n".join(lines).encode("utf-8")


def read_pages(bodies):
    """Protocol pages -> Rows, read as their full text."""
    texts = []
    refused = {}
    for at, body in enumerate(bodies):
        try:
            texts.append(page_text(body))
        except (ParseError, ValueError) as exc:
            refused[at] = str(exc)
            texts.append(b"")
    rows = read_records(texts)
    for at, reason in refused.items():
        rows.rejected[at] = Rejected("parse", reason)
    return rows


def read_records(bodies):
    """Country records -> Rows."""
    builder = registry.RecordBuilder(len(bodies))
    for at, body in enumerate(bodies):
        try:
            builder.add(at, *record_of(body))
        except (ParseError, ValueError) as exc:
            builder.reject(at, str(exc))
    return builder.rows()
