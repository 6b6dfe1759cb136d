"""Legacy ClinicalTrials.gov display values (XML, mirror pages) -> the API v2 enums of etl/vocab.py.

Most legacy values are the enum spelled for humans (`Active, not recruiting`, `Dietary Supplement`),
so they map by spelling; the rest are listed. A value that maps to no enum is kept raw, spelled the
way the enums are (`On Hold` -> `ON_HOLD`, `Phase 9` -> `PHASE9`): the record is stored and
etl/validate.py flags it `unknown_value:<column>`, as it does the API's raw values, instead of the
whole trial being quarantined for one field.
"""
import functools
import re

_RENAMES = {
    "UNKNOWN_STATUS": "UNKNOWN",
    "U_S_FED": "FED",
    "N_A": "NA",
    "BOTH": "ALL",
    "EDUCATIONAL_COUNSELING_TRAINING": "ECT",
    "OBSERVATIONAL_PATIENT_REGISTRY": "OBSERVATIONAL",
    "ANTICIPATED": "ESTIMATED",
    "ESTIMATE": "ESTIMATED",
}
_NON_WORD = re.compile(r"[^A-Z0-9]+")
_MASKING_WORDS = {"NONE": "NONE", "OPEN": "NONE", "NO": "NONE", "SINGLE": "SINGLE", "DOUBLE": "DOUBLE",
                  "TRIPLE": "TRIPLE", "QUADRUPLE": "QUADRUPLE"}
_MASKING_BY_ROLES = {1: "SINGLE", 2: "DOUBLE", 3: "TRIPLE", 4: "QUADRUPLE"}
_PHASE = re.compile(r"^(EARLY_)?PHASE_?(\d)$")


def _spelled(text):
    key = _NON_WORD.sub("_", text.upper()).strip("_")
    key = _RENAMES.get(key, key)
    return key[: -len("_ASSIGNMENT")] if key.endswith("_ASSIGNMENT") else key


@functools.lru_cache(maxsize=4096)  # a few dozen display values, a dozen or more of them a record
def legacy_enum(text):
    """`Active, not recruiting` -> `ACTIVE_NOT_RECRUITING`; None for no value. Every vocabulary maps
    by spelling (plus _RENAMES), so an unknown value comes back spelled the same way (`On Hold` ->
    `ON_HOLD`) for validation to flag."""
    return _spelled(text) if text else None


def legacy_study_type(text):
    """A withheld record's `N/A` study type is no study type."""
    return None if not text or _spelled(text) == "NA" else legacy_enum(text)


def legacy_phases(text):
    """`Phase 1/Phase 2` -> [PHASE1, PHASE2]; `N/A` -> [NA]; `Early Phase 1` -> [EARLY_PHASE1]."""
    if not text:
        return []
    if _spelled(text) == "NA":
        return ["NA"]
    phases = []
    for part in text.split("/"):
        match = _PHASE.match(_spelled(part))
        phases.append(f"{match.group(1) or ''}PHASE{match.group(2)}" if match else _spelled(part))
    return phases


def legacy_masking(text):
    """`Quadruple (Participant, ...)`, `Double-Blind`, `None (Open Label)` -> the v2 masking enum.

    Some records name only the masked roles (`Participant, Investigator`): their count is the level.
    """
    if not text:
        return None
    first = _spelled(text).split("_")[0]
    if first in _MASKING_WORDS:
        return _MASKING_WORDS[first]
    roles = len([r for r in text.strip("() ").split(",") if r.strip()])
    return _MASKING_BY_ROLES.get(roles, _spelled(text))


def legacy_yes_no(text):
    """`Yes` / `Accepts Healthy Volunteers` -> True, `No` -> False."""
    if not text:
        return None
    return not text.strip().lower().startswith("no")
