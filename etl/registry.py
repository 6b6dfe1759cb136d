"""What the parsers of other registries share: the registries, their status and phase vocabularies
mapped onto one, the portal's text cleaned, and their records built into the store's tables.

A record of another registry is one row of `registry_records` (etl/schemas.py) and its repeated
values (countries, conditions, interventions, secondary ids ...) as rows of `registry_values`. The
store keys and versions records by their `trials` row, so each record also has one, holding only its
store key `<source family>:<trial id>` (never an NCT id: ICTRP's copy of a ClinicalTrials.gov record
is not a version of the registry's own), so the build keeps those rows out of `trials`.
"""
import datetime as dt
import html
import re

import numpy as np
import pyarrow as pa

from trials.etl.record import Rejected, Rows
from trials.etl.schemas import REGISTRY_TABLES, TABLES
from trials.etl.vocab import country_code

# ICTRP's `Source_Register` -> the registry's short code (as ICTRP prefixes its ids, and ctrdata names
# registers). A register not listed keeps ICTRP's name.
REGISTRIES = {
    "ClinicalTrials.gov": "CTGOV", "EU Clinical Trials Register": "EUCTR", "EU CTR": "EUCTR",
    "CTIS": "CTIS", "ISRCTN": "ISRCTN", "ChiCTR": "ChiCTR", "ANZCTR": "ANZCTR", "IRCT": "IRCT",
    "JPRN": "JPRN", "TCTR": "TCTR", "CTRI": "CTRI", "German Clinical Trials Register": "DRKS", "DRKS": "DRKS",
    "Netherlands Trial Register": "NTR", "NTR": "NTR", "CRIS": "CRIS", "PACTR": "PACTR", "REBEC": "REBEC",
    "RPCEC": "RPCEC", "SLCTR": "SLCTR", "LBCTR": "LBCTR", "ITMCTR": "ITMCTR", "REPEC": "REPEC",
}

# The recruitment status of the WHO Trial Registration Data Set (item 18: pending, recruiting,
# suspended, complete, other), with ICTRP's catch-all `NOT_RECRUITING` and the EU register's
# `ONGOING` (authorised and running, recruitment not said) kept apart. Lower-cased registry value -> code.
STATUSES = {
    "pending": "PENDING", "not yet recruiting": "PENDING", "not_yet_recruiting": "PENDING",
    "authorised": "PENDING", "authorised-recruitment may be ongoing or finished": "ONGOING",
    "recruiting": "RECRUITING", "enrolling_by_invitation": "RECRUITING", "enrolling by invitation": "RECRUITING",
    "not recruiting": "NOT_RECRUITING", "active, not recruiting": "NOT_RECRUITING",
    "active_not_recruiting": "NOT_RECRUITING", "ongoing": "ONGOING", "restarted": "ONGOING",
    "suspended": "SUSPENDED", "temporarily halted": "SUSPENDED", "suspended by ca": "SUSPENDED",
    "complete": "COMPLETED", "completed": "COMPLETED", "terminated": "TERMINATED",
    "prematurely ended": "TERMINATED", "withdrawn": "WITHDRAWN", "not authorised": "WITHDRAWN",
    "prohibited by ca": "WITHDRAWN", "unknown": "UNKNOWN", "unknown status": "UNKNOWN",
}
STATUS_VOCABULARY = ("PENDING", "RECRUITING", "NOT_RECRUITING", "ONGOING", "SUSPENDED", "COMPLETED",
                     "TERMINATED", "WITHDRAWN", "UNKNOWN", "OTHER")

# Phases read as the ClinicalTrials.gov vocabulary (etl/vocab.py): `Phase 2/Phase 3`, `Phase I/II`,
# `2-3`, a bare number, or the EU register's yes/no per phase. Phase 0 is CT.gov's EARLY_PHASE1;
# ChiCTR's bare `0` and "retrospective study" mean no phase (NA).
_PHASE_NUMBERS = {"0": "0", "i": "1", "ii": "2", "iii": "3", "iv": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
_PHASE_LIST = re.compile(r"^(?:(?:early\s+)?phase\s*)?(iv|iii|ii|i|[0-4])"
                         r"(?:\s*[/,\-]\s*(?:phase\s*)?(iv|iii|ii|i|[0-4]))?$")
_EU_PHASE = re.compile(r"\(phase (iv|iii|ii|i)\)\s*:\s*yes", re.I)
_NO_PHASE = {"0", "n/a", "na", "not applicable", "not specified", "retrospective study"}

_BR = re.compile(r"<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\s*\n\s*")


def clean(text):
    """A portal value as a field: `<br>` and HTML entities decoded, runs of spaces one space, lines
    trimmed, blank lines dropped; None when nothing is left."""
    if text is None:
        return None
    text = _BR.sub("\n", html.unescape(text))
    text = _LINES.sub("\n", _SPACE.sub(" ", text)).strip()
    return text or None


def one_line(text):
    """A one-line value (a title, a sponsor, a country): every run of white space one space."""
    text = clean(text)
    return " ".join(text.split()) if text else None


def split_list(text, separator=";"):
    """The values of a `;`-separated portal list, cleaned, empty ones dropped, order kept."""
    values = [one_line(part) for part in (clean(text) or "").replace("\n", separator).split(separator)]
    return [value for value in values if value]


def status(raw):
    """A registry's recruitment status -> STATUS_VOCABULARY (OTHER when unknown), None when none."""
    if not raw:
        return None
    return STATUSES.get(raw.strip().lower().rstrip("."), "OTHER")


def phase(raw):
    """A registry's phase text -> `PHASE1`, `PHASE2/PHASE3`, `NA` ...; None when it names none."""
    if not raw:
        return None
    text = " ".join(raw.lower().split())
    if text in _NO_PHASE:
        return "NA"
    if "(phase i)" in text:  # the EU register: one yes/no line per phase
        numbers = [_PHASE_NUMBERS[n.lower()] for n in _EU_PHASE.findall(text)]
        return "/".join(f"PHASE{n}" for n in sorted(set(numbers))) or ("NA" if ": no" in text else None)
    match = _PHASE_LIST.match(text)
    if not match:
        return None
    numbers = sorted({_PHASE_NUMBERS[n] for n in match.groups() if n})
    if text.startswith("early") or numbers == ["0"]:
        return "EARLY_PHASE1"
    return "/".join(f"PHASE{n}" for n in numbers if n != "0")


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}


def parse_date(text):
    """The date formats registries export: 2020-02-17, 17/02/2020, 20200217, 17 February 2020,
    February 17, 2020, January 2020 (the 1st). ValueError for anything else."""
    text = one_line(text)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    words = text.replace(",", " ").lower().split()
    months = [w for w in words if w in _MONTHS]
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if n > 31]
    days = [n for n in numbers if n <= 31]
    if len(months) == 1 and len(years) == 1 and len(days) <= 1 and len(words) == 2 + len(days):
        return dt.date(years[0], _MONTHS[months[0]], days[0] if days else 1)
    raise ValueError(f"not a date: {text!r}")


_GROUP_SIZE = re.compile(r"^[^:;]*:\s*\d+\s*(?:;[^:;]*:\s*\d+\s*)*;?$")


def target_size(text):
    """The planned number of participants: a number, or the sum of ChiCTR's `group:N;group:N;`."""
    text = one_line(text)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if _GROUP_SIZE.match(text):
        return sum(int(n) for n in re.findall(r":\s*(\d+)", text))
    return None


class RecordBuilder:
    """Collects a batch's records (a dict of `registry_records` columns and (field, value, code)
    rows each) and refusals, by position, and builds the store's Rows of them."""

    def __init__(self, count):
        self.count = count
        self.records = {}
        self.rejected = {}

    def add(self, at, key, record, values):
        self.records[at] = (key, record, values)

    def reject(self, at, reason):
        self.rejected[at] = Rejected("parse", reason)

    def rows(self):
        kept = sorted(self.records)
        trials = {field.name: pa.nulls(len(kept), field.type) for field in TABLES["trials"]}
        trials["nct_id"] = pa.array([self.records[at][0] for at in kept], pa.string())
        trials["_record"] = pa.array(kept, pa.int64())
        columns = {"trials": trials}
        schema = REGISTRY_TABLES["registry_records"]
        columns["registry_records"] = {
            field.name: pa.array([self.records[at][1].get(field.name) for at in kept], field.type)
            for field in schema}
        columns["registry_records"]["_record"] = pa.array(kept, pa.int64())
        owner = [at for at in kept for _ in self.records[at][2]]
        columns["registry_values"] = {
            "field": pa.array([field for at in kept for field, *_ in self.records[at][2]], pa.string()),
            "value": pa.array([value for at in kept for _, value, _ in self.records[at][2]], pa.string()),
            "code": pa.array([code for at in kept for *_, code in self.records[at][2]], pa.string()),
            "_record": pa.array(np.array(owner, np.int64))}
        return Rows.of(columns, self.rejected)


def values(field, items, code=lambda value: None):
    """(field, value, code) rows of the distinct values of a list, in order; `code` of a value is its
    code (a country's ISO code), when there is one."""
    return [(field, value, code(value)) for value in dict.fromkeys(items)]


def countries(items):
    """`country` rows, each with its ISO 3166 code when the spelling is known."""
    return values("country", items, lambda name: country_code(name))
