"""Parser of one legacy ClinicalTrials.gov `<clinical_study>` XML document into the normalized record.

Legacy values map to the API v2 enums (etl/legacy_vocab.py), dates and ages go through the same
normalizers as the API's, so a trial looks the same in the warehouse whichever way it arrived. Text is
folded to single spaces: the XML hard-wraps its text blocks, and mirror pages fold them to one line.
`normalize` is shared with the mirror-page parser, which rebuilds the same element tree from a page.
"""
import functools

from lxml import etree

from etl.legacy_vocab import legacy_enum, legacy_masking, legacy_phases, legacy_study_type, legacy_yes_no
from etl.record import ParseError, make_record, normalized
from etl.vocab import country_code, date_columns, join_phases, parse_age_years, parse_date

# Untrusted input: no DTD, no network, no entity expansion (XXE and entity bombs stay inert).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          remove_comments=True, remove_pis=True, huge_tree=False)


def parse_study_xml(body, url=None):
    return normalized(normalize, study_element(body))


def study_element(body):
    """The `<clinical_study>` root of legacy XML bytes, parsed safely."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"invalid XML: {exc}") from None
    if root is not None and root.getroottree().docinfo.doctype:
        raise ParseError("refused: the XML declares a DOCTYPE (legacy study XML has none; entities stay unexpanded)")
    if root is None or root.tag != "clinical_study":
        raise ParseError(f"not a legacy study: root element {getattr(root, 'tag', None)!r}, expected clinical_study")
    return root


def fold(text):
    """Collapse every run of whitespace to one space; None for no text."""
    return " ".join(text.split()) or None if text else None


def _texts(elements):
    """The folded texts of elements, empty ones left out."""
    return [text for text in map(fold, [element.text for element in elements]) if text]


def _first(element):
    """tag -> the first child with that tag: its folded text if it is a leaf, else the element.

    One pass over the children, where a findtext per field would scan them again each time (a
    findtext goes through ElementPath in Python; iterating the children is lxml's C loop).
    """
    index = {}
    if element is not None:
        for child in element:
            tag = child.tag
            if tag not in index:
                index[tag] = child if len(child) else fold(child.text)
    return index


def _block(index, tag):
    """The folded text of a `<tag><textblock>` child."""
    element = index.get(tag)
    return fold(element.findtext("textblock")) if element is not None and len(element) else None


def _date(index, *tags):
    """The first of `tags` present -> (date, precision)."""
    for tag in tags:
        if index.get(tag):
            try:
                return parse_date(index[tag])
            except ValueError as exc:
                raise ParseError(f"{tag}: {exc}") from None
    return None, None


# Ages are a few hundred spellings (`18 Years`): parsed once each.
_age_years = functools.lru_cache(maxsize=4096)(parse_age_years)


def _age(index, tag):
    try:
        return _age_years(index.get(tag))
    except ValueError as exc:
        raise ParseError(f"{tag}: {exc}") from None


def _enrollment(study):
    node = next(study.iterchildren("enrollment"), None)
    if node is None or not fold(node.text):
        return None, None
    try:
        count = int(float(fold(node.text)))
    except ValueError:
        raise ParseError(f"enrollment: not a number: {node.text!r}") from None
    return count, legacy_enum(node.get("type"))


def _sponsor(node, role):
    fields = _first(node)
    return {"name": fields.get("agency"), "agency_class": legacy_enum(fields.get("agency_class")),
            "role": role}


def _site(location):
    fields = _first(location)
    facility = _first(fields.get("facility"))
    address = _first(facility.get("address"))
    return {
        "facility": facility.get("name"),
        "city": address.get("city"),
        "state": address.get("state"),
        "zip": address.get("zip"),
        "country": address.get("country"),
        "country_code": country_code(address.get("country")),
        "status": legacy_enum(fields.get("status")),
        "latitude": None,
        "longitude": None,
    }


def normalize(study):
    """A `<clinical_study>` element tree -> the normalized record."""
    top = _first(study)
    design = _first(top.get("study_design_info"))
    eligibility = _first(top.get("eligibility"))
    enrollment, enrollment_type = _enrollment(study)
    study_type = legacy_study_type(top.get("study_type"))
    phases = legacy_phases(top.get("phase"))
    if phases == ["NA"] and study_type != "INTERVENTIONAL":
        phases = []  # as in API v2, where only interventional trials have a phase (legacy says N/A)
    lead = study.find("sponsors/lead_sponsor")
    lead_row = _sponsor(lead, "lead") if lead is not None else {}
    trial = {
        "nct_id": _first(top.get("id_info")).get("nct_id"),
        "brief_title": top.get("brief_title"),
        "official_title": top.get("official_title"),
        "acronym": top.get("acronym"),
        "study_type": study_type,
        "phase": join_phases(phases),
        "phases": phases,
        "overall_status": legacy_enum(top.get("overall_status")),
        "why_stopped": top.get("why_stopped"),
        **date_columns("start_date", _date(top, "start_date")),
        **date_columns("primary_completion_date", _date(top, "primary_completion_date")),
        **date_columns("completion_date", _date(top, "completion_date")),
        # Records last processed before 2017 name these two dates differently.
        "first_posted": _date(top, "study_first_posted", "firstreceived_date")[0],
        "last_update_posted": _date(top, "last_update_posted", "lastchanged_date")[0],
        "enrollment": enrollment,
        "enrollment_type": enrollment_type,
        "allocation": legacy_enum(design.get("allocation")),
        "intervention_model": legacy_enum(design.get("intervention_model")),
        "primary_purpose": legacy_enum(design.get("primary_purpose")),
        "masking": legacy_masking(design.get("masking")),
        "sex": legacy_enum(eligibility.get("gender")),
        "minimum_age_years": _age(eligibility, "minimum_age"),
        "maximum_age_years": _age(eligibility, "maximum_age"),
        "healthy_volunteers": legacy_yes_no(eligibility.get("healthy_volunteers")),
        "eligibility_criteria": _block(eligibility, "criteria"),
        "brief_summary": _block(top, "brief_summary"),
        "detailed_description": _block(top, "detailed_description"),
        "lead_sponsor": lead_row.get("name"),
        "lead_sponsor_class": lead_row.get("agency_class"),
        # Results are posted with one of these dates (results_first_posted since 2017).
        "has_results": "results_first_posted" in top or "firstreceived_results_date" in top,
    }
    return make_record(
        trial,
        conditions=[{"condition": text} for text in _texts(study.iterchildren("condition"))],
        keywords=[{"keyword": text} for text in _texts(study.iterchildren("keyword"))],
        condition_mesh_terms=[{"mesh_id": None, "mesh_term": text}
                              for text in _texts(study.iterfind("condition_browse/mesh_term"))],
        interventions=[_intervention(_first(i)) for i in study.iterchildren("intervention")],
        arm_groups=[_arm_group(_first(a)) for a in study.iterchildren("arm_group")],
        sponsors=[lead_row] * bool(lead_row)
        + [_sponsor(c, "collaborator") for c in study.iterfind("sponsors/collaborator")],
        sites=[_site(location) for location in study.iterchildren("location")],
        secondary_ids=[{"secondary_id": text, "id_type": None, "domain": None}
                       for text in _texts(study.iterfind("id_info/secondary_id"))],
        outcomes=[_outcome(kind, _first(o)) for kind in ("primary", "secondary", "other")
                  for o in study.iterchildren(f"{kind}_outcome")],
    )


def _intervention(fields):
    return {"intervention_type": legacy_enum(fields.get("intervention_type")),
            "name": fields.get("intervention_name"), "description": fields.get("description")}


def _arm_group(fields):
    return {"label": fields.get("arm_group_label"), "arm_type": legacy_enum(fields.get("arm_group_type")),
            "description": fields.get("description")}


def _outcome(kind, fields):
    return {"kind": kind, "measure": fields.get("measure"), "time_frame": fields.get("time_frame"),
            "description": fields.get("description")}
