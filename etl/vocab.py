"""Controlled vocabularies (the ClinicalTrials.gov API v2 enums) and the value normalizers.

The warehouse loads VOCABULARIES as a table so that its accepted-values tests read the same lists.
"""
import csv
import functools
import datetime as dt
import re
from pathlib import Path

VOCABULARIES = {
    "study_type": ["INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"],
    "phase": ["NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"],
    "overall_status": [
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
    ],
    "enrollment_type": ["ACTUAL", "ESTIMATED"],
    "allocation": ["RANDOMIZED", "NON_RANDOMIZED", "NA"],
    "intervention_model": ["SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"],
    "primary_purpose": [
        "TREATMENT", "PREVENTION", "DIAGNOSTIC", "ECT", "SUPPORTIVE_CARE", "SCREENING",
        "HEALTH_SERVICES_RESEARCH", "BASIC_SCIENCE", "DEVICE_FEASIBILITY", "OTHER",
    ],
    "masking": ["NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"],
    "sex": ["ALL", "FEMALE", "MALE"],
    "agency_class": ["NIH", "FED", "OTHER_GOV", "INDIV", "INDUSTRY", "NETWORK", "AMBIG", "OTHER", "UNKNOWN"],
    "sponsor_role": ["lead", "collaborator"],
    "site_status": [
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE",
    ],
    "intervention_type": [
        "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT", "DRUG", "GENETIC", "OTHER", "PROCEDURE", "RADIATION",
    ],
    "arm_type": [
        "EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR",
        "NO_INTERVENTION", "OTHER",
    ],
    "outcome_kind": ["primary", "secondary", "other"],
    "date_precision": ["day", "month", "year"],
}

PHASE_ORDER = {p: i for i, p in enumerate(VOCABULARIES["phase"])}


def join_phases(phases):
    """`[PHASE2, PHASE1]` -> `PHASE1/PHASE2`, the registry's own order; None when there is none."""
    return "/".join(sorted(phases, key=lambda p: PHASE_ORDER.get(p, 99))) or None


def _strptime(fmt):
    return lambda text: dt.datetime.strptime(text, fmt).date()


# The API's own ISO spellings go through date.fromisoformat: they are most dates, and strptime is slow.
_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), dt.date.fromisoformat, "day"),
    (re.compile(r"^\d{4}-\d{2}$"), lambda text: dt.date.fromisoformat(text + "-01"), "month"),
    (re.compile(r"^\d{4}$"), _strptime("%Y"), "year"),
    (re.compile(r"^[A-Za-z]+ \d{1,2}, \d{4}$"), _strptime("%B %d, %Y"), "day"),
    (re.compile(r"^[A-Za-z]+ \d{4}$"), _strptime("%B %Y"), "month"),
)


@functools.lru_cache(maxsize=65536)  # a few thousand distinct days per decade, several dates a record
def parse_date(text):
    """A registry date in any of its spellings -> (date, precision); a month-only date is the 1st."""
    if not text:
        return None, None
    text = text.strip()
    for pattern, to_date, precision in _DATE_FORMATS:
        if pattern.match(text):
            return to_date(text), precision
    raise ValueError(f"unrecognized date {text!r}")


_AGE_UNITS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25,
              "hour": 1 / 8766, "minute": 1 / 525960}
_AGE = re.compile(r"^(\d+(?:\.\d+)?)\s*([A-Za-z]+?)s?$")


def parse_age_years(text):
    """`18 Years` -> 18.0, `6 Months` -> 0.5; `N/A` or nothing -> None (no limit)."""
    if not text or text.strip().upper() in ("N/A", "NA", "NONE"):
        return None
    match = _AGE.match(text.strip())
    if not match or match.group(2).lower() not in _AGE_UNITS:
        raise ValueError(f"unrecognized age {text!r}")
    return round(float(match.group(1)) * _AGE_UNITS[match.group(2).lower()], 4)


def _load_countries():
    with open(Path(__file__).with_name("data") / "countries.csv", newline="", encoding="utf-8") as f:
        return {row["name"].casefold(): row["alpha2"] for row in csv.DictReader(f)}


_COUNTRIES = _load_countries()


@functools.lru_cache(maxsize=4096)  # sites repeat a few hundred spellings: skip casefolding them again
def country_code(name):
    """ISO 3166-1 alpha-2 code of a country as the registry spells it; None when unknown."""
    return _COUNTRIES.get(name.strip().casefold()) if name else None
