"""WHO ICTRP search-portal exports: the XML (`<Trials_downloaded_from_ICTRP><Trial>`) and the CSV.

Both hold the WHO Trial Registration Data Set of trials from every registry that reports to ICTRP,
with the portal's stray white space and `<br>` in the values. `split_xml` and `split_csv` cut an
export into one body per trial (a `<Trial>` element; the CSV header and one row), which the store
keeps as records of `ictrp_xml` / `ictrp_csv`; `read_xml` and `read_csv` parse a batch of those
bodies into the store's tables (etl/registry.py). Pure: bytes in, tables out.
"""
import csv
import io
import re

from lxml import etree

from trials.etl import registry
from trials.etl.record import ParseError

SOURCE_FAMILY = "ictrp"

# An id's prefix -> its registry, for a record whose `Source_Register` is missing.
_ID_PREFIXES = re.compile(
    r"^(?:(NCT)|(EUCTR)|(ISRCTN)|(ChiCTR)|(ACTRN)|(IRCT)|(JPRN)|(TCTR)|(CTRI)|(DRKS)|(NTR|NL)|(KCT)|(PACTR)|(RBR)"
    r"|(RPCEC)|(SLCTR)|(LBCTR)|(ITMCTR)|(PER))", re.I)
_PREFIX_REGISTRIES = ("CTGOV", "EUCTR", "ISRCTN", "ChiCTR", "ANZCTR", "IRCT", "JPRN", "TCTR", "CTRI", "DRKS",
                      "NTR", "CRIS", "PACTR", "REBEC", "RPCEC", "SLCTR", "LBCTR", "ITMCTR", "REPEC")


def split_xml(data):
    """The `<Trial>` elements of an XML export as bytes, in order; ParseError when the document is
    not an ICTRP export or breaks off (the trials before the break are returned with the error)."""
    trials = []
    try:
        parser = etree.iterparse(io.BytesIO(data), events=("end",), tag="Trial", resolve_entities=False,
                                 no_network=True, huge_tree=True)
        for _, element in parser:
            trials.append(etree.tostring(element, encoding="utf-8"))
            element.clear()
        root = parser.root
    except etree.XMLSyntaxError as exc:
        raise ExportBroken(f"XML export breaks off after {len(trials)} trials: {exc}", trials) from None
    if root is None or root.tag != "Trials_downloaded_from_ICTRP":
        raise ExportBroken(f"not an ICTRP XML export (root {getattr(root, 'tag', None)!r})", trials)
    return trials


def split_csv(data):
    """One body per trial of a CSV export: the header line and the trial's row, as CSV."""
    text = data.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
    except csv.Error as exc:
        raise ExportBroken(f"not an ICTRP CSV export: {exc}", []) from None
    if not header or header[0].strip() != "TrialID":
        raise ExportBroken("not an ICTRP CSV export (the first column is not TrialID)", [])
    bodies = []
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                out = io.StringIO()
                csv.writer(out, lineterminator="\r\n").writerows([header, row])
                bodies.append(out.getvalue().encode("utf-8"))
    except csv.Error as exc:
        raise ExportBroken(f"CSV export breaks off after {len(bodies)} trials: {exc}", bodies) from None
    return bodies


class ExportBroken(ValueError):
    """An export that cannot be split whole; `trials` holds the bodies read before the break."""

    def __init__(self, reason, trials):
        super().__init__(reason)
        self.trials = trials


def _field_name(name):
    return "_".join(name.strip().lower().split())


def _xml_fields(body):
    try:
        element = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not a <Trial> element: {exc}") from None
    if element.tag != "Trial":
        raise ParseError(f"not a <Trial> element: <{element.tag}>")
    return {_field_name(child.tag): child.text or "" for child in element if isinstance(child.tag, str)}


def _csv_fields(body):
    try:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline="")))
    except csv.Error as exc:
        raise ParseError(f"not a CSV row: {exc}") from None
    if len(rows) != 2:
        raise ParseError(f"expected a header and one row, got {len(rows)} rows")
    header, row = rows
    if len(row) != len(header):
        raise ParseError(f"the row has {len(row)} fields, the header {len(header)}")
    return {_field_name(name): value for name, value in zip(header, row)}


def registry_of(trial_id, source_register):
    """The registry's code from ICTRP's `Source_Register`, else from the id's prefix."""
    name = registry.one_line(source_register)
    if name:
        return registry.REGISTRIES.get(name, name)
    match = _ID_PREFIXES.match(trial_id)
    return _PREFIX_REGISTRIES[match.lastindex - 1] if match else None


def record_of(fields):
    """The portal's fields of one trial -> (store key, registry_records row, registry_values rows)."""
    trial_id = registry.one_line(fields.get("trialid"))
    if not trial_id:
        raise ParseError("the trial has no TrialID")
    flags = []

    def date(*names):
        for name in names:
            try:
                value = registry.parse_date(fields.get(name))
            except ValueError:
                flags.append(f"unparsed_date:{name}")
                continue
            if value:
                return value
        return None

    registry_code = registry_of(trial_id, fields.get("source_register"))
    own_id = trial_id[5:] if registry_code == "EUCTR" and trial_id.upper().startswith("EUCTR") else trial_id
    raw_status = registry.one_line(fields.get("recruitment_status"))
    raw_phase = registry.clean(fields.get("phase"))
    record = {
        "registry": registry_code, "trial_id": own_id,
        "source_register": registry.one_line(fields.get("source_register")),
        "url": registry.one_line(fields.get("web_address")),
        "public_title": registry.one_line(fields.get("public_title")),
        "scientific_title": registry.one_line(fields.get("scientific_title")),
        "acronym": registry.one_line(fields.get("acronym")),
        "primary_sponsor": registry.one_line(fields.get("primary_sponsor")),
        "registry_status": raw_status, "status": registry.status(raw_status),
        "registry_phase": raw_phase, "phase": registry.phase(raw_phase),
        "study_type": registry.one_line(fields.get("study_type")),
        "registration_date": date("date_registration3", "date_registration"),
        "start_date": date("date_enrollement", "date_enrolment"),
        "target_size_text": registry.one_line(fields.get("target_size")),
        "target_size": registry.target_size(fields.get("target_size")),
        "inclusion_criteria": registry.clean(fields.get("inclusion_criteria")),
        "exclusion_criteria": registry.clean(fields.get("exclusion_criteria")),
        "primary_outcome": registry.clean(fields.get("primary_outcome")),
        "last_refreshed": date("last_refreshed_on"),
        "record_flags": flags,
    }
    secondary = [value for name, text in fields.items() if name.startswith("secondary_id")
                 for value in registry.split_list(text, ";")]
    rows = (registry.countries(registry.split_list(fields.get("countries")))
            + registry.values("condition", _items(fields.get("condition")))
            + registry.values("intervention", _items(fields.get("intervention")))
            + registry.values("secondary_id", secondary)
            + registry.values("secondary_sponsor", registry.split_list(fields.get("secondary_sponsors"))))
    return f"{SOURCE_FAMILY}:{trial_id}", record, rows


def _items(text):
    """A `;`-separated list whose items may span lines (the EU register's MedDRA blocks): one line each."""
    return [item for item in (registry.one_line(part) for part in (text or "").split(";")) if item]


def _read(bodies, fields_of):
    builder = registry.RecordBuilder(len(bodies))
    for at, body in enumerate(bodies):
        try:
            builder.add(at, *record_of(fields_of(body)))
        except (ParseError, ValueError) as exc:
            builder.reject(at, str(exc))
    return builder.rows()


def read_xml(bodies):
    """`<Trial>` bodies -> Rows."""
    return _read(bodies, _xml_fields)


def read_csv(bodies):
    """CSV bodies (header and one row) -> Rows."""
    return _read(bodies, _csv_fields)


