"""Converts a legacy `<clinical_study>` XML document into the API v2 study shape (a pure function).

The stored XML stays the source; this view of it lets one set of SQL (sql/documents/) normalize every
source: API v2 and bulk JSON as they come, legacy XML and mirror pages (which rebuild the XML) through
here. Values become what API v2 says for the same thing: display values its enums (etl/legacy_vocab.py),
dates ISO (`2005-03` for a month), Yes/No booleans, and text is folded to single spaces, as the columnar
XML parser folds it. `<clinical_results>` is converted by etl/legacy_results.py, when present.

What the legacy format holds that API v2 does not (the download header, fields retired in 2017) has no
place in the v2 shape; tests/test_whole_record.py lists it with its reasons.
"""
import functools

from lxml import etree

from trials.etl.ctgov_xml import fold_text
from trials.etl.legacy_vocab import legacy_enum, legacy_masking, legacy_phases, legacy_study_type, legacy_yes_no
from trials.etl.vocab import parse_date

try:  # the results tables' converter (another module); until it exists, results stay out of the view
    from trials.etl.legacy_results import results_section
except ImportError:
    results_section = None

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_MASKED_ROLES = {"participant": "PARTICIPANT", "subject": "PARTICIPANT", "care provider": "CARE_PROVIDER",
                 "caregiver": "CARE_PROVIDER", "investigator": "INVESTIGATOR",
                 "outcomes assessor": "OUTCOMES_ASSESSOR"}
_INFO_TYPES = {"STUDY_PROTOCOL": "STUDY_PROTOCOL", "STATISTICAL_ANALYSIS_PLAN_SAP": "SAP",
               "INFORMED_CONSENT_FORM_ICF": "ICF", "CLINICAL_STUDY_REPORT_CSR": "CSR", "ANALYTIC_CODE": "ANALYTIC_CODE"}
_PENDING_EVENTS = {"submitted": "RELEASE", "returned": "RESET", "submission_canceled": "CANCEL"}


def study_from_xml(body):
    """A `<clinical_study>` document (bytes) -> the study as an API v2 dict."""
    return study_from_element(etree.fromstring(body, _PARSER))


def study_from_element(root):
    """A `<clinical_study>` lxml element -> the study as an API v2 dict (empty parts left out)."""
    x = _Element(root)
    study_type = legacy_study_type(x.text("study_type"))
    phases = legacy_phases(x.text("phase"))
    study = {
        "protocolSection": {
            "identificationModule": {
                "nctId": x.text("id_info/nct_id"),
                "nctIdAliases": x.texts("id_info/nct_alias"),
                "orgStudyIdInfo": {"id": x.text("id_info/org_study_id")},
                "secondaryIdInfos": [{"id": text} for text in x.texts("id_info/secondary_id")],
                "organization": {"fullName": x.text("source")},
                "briefTitle": x.text("brief_title"), "officialTitle": x.text("official_title"),
                "acronym": x.text("acronym"),
            },
            "statusModule": {
                "statusVerifiedDate": _date(x.text("verification_date")),
                "overallStatus": legacy_enum(x.text("overall_status")),
                "lastKnownStatus": legacy_enum(x.text("last_known_status")),
                "whyStopped": x.text("why_stopped"),
                "expandedAccessInfo": {"hasExpandedAccess": _yes(x.text("has_expanded_access"))},
                "startDateStruct": x.date_struct("start_date"),
                "primaryCompletionDateStruct": x.date_struct("primary_completion_date"),
                "completionDateStruct": x.date_struct("completion_date"),
                "studyFirstSubmitDate": _date(x.text("study_first_submitted") or x.text("firstreceived_date")),
                "studyFirstSubmitQcDate": _date(x.text("study_first_submitted_qc")),
                "studyFirstPostDateStruct": x.date_struct("study_first_posted"),
                "resultsFirstSubmitDate": _date(x.text("results_first_submitted")
                                                or x.text("firstreceived_results_date")),
                "resultsFirstSubmitQcDate": _date(x.text("results_first_submitted_qc")),
                "resultsFirstPostDateStruct": x.date_struct("results_first_posted"),
                "dispFirstSubmitDate": _date(x.text("disposition_first_submitted")
                                             or x.text("firstreceived_results_disposition_date")),
                "dispFirstSubmitQcDate": _date(x.text("disposition_first_submitted_qc")),
                "dispFirstPostDateStruct": x.date_struct("disposition_first_posted"),
                "lastUpdateSubmitDate": _date(x.text("last_update_submitted")),
                "lastUpdatePostDateStruct": x.date_struct("last_update_posted") or x.date_struct("lastchanged_date"),
            },
            "sponsorCollaboratorsModule": {
                "responsibleParty": {
                    "type": legacy_enum(x.text("responsible_party/responsible_party_type")),
                    "investigatorFullName": x.text("responsible_party/investigator_full_name"),
                    "investigatorTitle": x.text("responsible_party/investigator_title"),
                    "investigatorAffiliation": x.text("responsible_party/investigator_affiliation"),
                    "oldNameTitle": x.text("responsible_party/name_title"),
                    "oldOrganization": x.text("responsible_party/organization"),
                },
                "leadSponsor": {"name": x.text("sponsors/lead_sponsor/agency"),
                                "class": legacy_enum(x.text("sponsors/lead_sponsor/agency_class"))},
                "collaborators": [{"name": c.text("agency"), "class": legacy_enum(c.text("agency_class"))}
                                  for c in x.all("sponsors/collaborator")],
            },
            "oversightModule": {
                "oversightHasDmc": _yes(x.text("oversight_info/has_dmc")),
                "isFdaRegulatedDrug": _yes(x.text("oversight_info/is_fda_regulated_drug")),
                "isFdaRegulatedDevice": _yes(x.text("oversight_info/is_fda_regulated_device")),
                "isUnapprovedDevice": _yes(x.text("oversight_info/is_unapproved_device")),
                "isPpsd": _yes(x.text("oversight_info/is_ppsd")),
                "isUsExport": _yes(x.text("oversight_info/is_us_export")),
            },
            "descriptionModule": {"briefSummary": x.text("brief_summary/textblock"),
                                  "detailedDescription": x.text("detailed_description/textblock")},
            "conditionsModule": {"conditions": x.texts("condition"), "keywords": x.texts("keyword")},
            "designModule": {
                "studyType": study_type,
                "patientRegistry": True if "registry" in (x.text("study_type") or "").lower() else None,
                "targetDuration": x.text("target_duration"),
                "expandedAccessTypes": {kind: _yes(x.text(f"expanded_access_info/expanded_access_type_{kind}"))
                                        for kind in ("individual", "intermediate", "treatment")},
                "phases": [] if phases == ["NA"] and study_type != "INTERVENTIONAL" else phases,
                "designInfo": {
                    "allocation": legacy_enum(x.text("study_design_info/allocation")),
                    "interventionModel": legacy_enum(x.text("study_design_info/intervention_model")),
                    "interventionModelDescription": x.text("study_design_info/intervention_model_description"),
                    "primaryPurpose": legacy_enum(x.text("study_design_info/primary_purpose")),
                    "observationalModel": legacy_enum(x.text("study_design_info/observational_model")),
                    "timePerspective": legacy_enum(x.text("study_design_info/time_perspective")),
                    "maskingInfo": {"masking": legacy_masking(x.text("study_design_info/masking")),
                                    "maskingDescription": x.text("study_design_info/masking_description"),
                                    "whoMasked": _who_masked(x.text("study_design_info/masking"))},
                },
                "bioSpec": {"retention": legacy_enum(x.text("biospec_retention")),
                            "description": x.text("biospec_descr/textblock")},
                "enrollmentInfo": {"count": _count(x.text("enrollment")), "type": legacy_enum(x.attribute("enrollment", "type"))},
            },
            "armsInterventionsModule": {
                "armGroups": [{"label": a.text("arm_group_label"), "type": legacy_enum(a.text("arm_group_type")),
                               "description": a.text("description")} for a in x.all("arm_group")],
                "interventions": [{"type": legacy_enum(i.text("intervention_type")), "name": i.text("intervention_name"),
                                   "description": i.text("description"), "armGroupLabels": i.texts("arm_group_label"),
                                   "otherNames": i.texts("other_name")} for i in x.all("intervention")],
            },
            "outcomesModule": {f"{kind}Outcomes": [
                {"measure": o.text("measure"), "description": o.text("description"), "timeFrame": o.text("time_frame")}
                for o in x.all(f"{kind}_outcome")] for kind in ("primary", "secondary", "other")},
            "eligibilityModule": {
                "eligibilityCriteria": x.text("eligibility/criteria/textblock"),
                "healthyVolunteers": legacy_yes_no(x.text("eligibility/healthy_volunteers")),
                "sex": legacy_enum(x.text("eligibility/gender")),
                "genderBased": _yes(x.text("eligibility/gender_based")),
                "genderDescription": x.text("eligibility/gender_description"),
                "minimumAge": _age(x.text("eligibility/minimum_age")),
                "maximumAge": _age(x.text("eligibility/maximum_age")),
                "studyPopulation": x.text("eligibility/study_pop/textblock"),
                "samplingMethod": legacy_enum(x.text("eligibility/sampling_method")),
            },
            "contactsLocationsModule": {
                "centralContacts": [_contact(c, "CONTACT") for c in x.all("overall_contact") + x.all("overall_contact_backup")],
                "overallOfficials": [{"name": o.text("last_name"), "affiliation": o.text("affiliation"),
                                      "role": legacy_enum(o.text("role"))} for o in x.all("overall_official")],
                "locations": [_location(site) for site in x.all("location")],
            },
            "referencesModule": {
                "references": [{"pmid": r.text("PMID"), "type": kind, "citation": r.text("citation")}
                               for tag, kind in (("reference", "BACKGROUND"), ("results_reference", "RESULT"))
                               for r in x.all(tag)],
                "seeAlsoLinks": [{"label": link.text("description"), "url": link.text("url")} for link in x.all("link")],
                "availIpds": [{"id": d.text("doc_id"), "type": d.text("doc_type"), "url": d.text("doc_url"),
                               "comment": d.text("doc_comment")} for d in x.all("study_docs/study_doc")],
            },
            "ipdSharingStatementModule": {
                "ipdSharing": legacy_enum(x.text("patient_data/sharing_ipd")),
                "description": x.text("patient_data/ipd_description"),
                "infoTypes": [_INFO_TYPES.get(legacy_enum(t), legacy_enum(t)) for t in x.texts("patient_data/ipd_info_type")],
                "timeFrame": x.text("patient_data/ipd_time_frame"),
                "accessCriteria": x.text("patient_data/ipd_access_criteria"),
                "url": x.text("patient_data/ipd_url"),
            },
        },
        "documentSection": {"largeDocumentModule": {"largeDocs": [
            _large_document(d) for d in x.all("provided_document_section/provided_document")]}},
        "annotationSection": {"annotationModule": {"unpostedAnnotation": {"unpostedEvents": [
            {"type": _PENDING_EVENTS[event.tag], "date": _date(fold_text(event.text))}
            for event in root.iterfind("pending_results/*") if event.tag in _PENDING_EVENTS]}}},
        "derivedSection": {
            "miscInfoModule": {"removedCountries": x.texts("removed_countries/country")},
            "conditionBrowseModule": {"meshes": [{"term": t} for t in x.texts("condition_browse/mesh_term")]},
            "interventionBrowseModule": {"meshes": [{"term": t} for t in x.texts("intervention_browse/mesh_term")]},
        },
        "hasResults": root.find("results_first_posted") is not None or root.find("firstreceived_results_date") is not None,
    }
    results = root.find("clinical_results")
    if results is not None and results_section is not None:
        study["resultsSection"] = results_section(results)
    return _pruned(study)


class _Element:
    """Reads the folded texts of an element's descendants by path (`a/b`): each element's children are
    grouped by tag once, so that the hundred fields of a study cost a dictionary look-up each, not a
    search of the tree."""

    def __init__(self, element):
        self.element = element
        self._children = None

    def _found(self, path):
        """The elements at `path` (each step's children with that tag), in document order."""
        found = [self]
        for tag in _steps(path):
            found = [child for element in found for child in element._by_tag().get(tag, ())]
        return found

    def _by_tag(self):
        if self._children is None:
            self._children = {}
            for child in self.element:
                if isinstance(child.tag, str):
                    self._children.setdefault(child.tag, []).append(_Element(child))
        return self._children

    def text(self, path):
        found = self._found(path)
        return fold_text(found[0].element.text) if found else None

    def texts(self, path):
        return [text for text in (fold_text(e.element.text) for e in self._found(path)) if text]

    def attribute(self, path, name):
        found = self._found(path)
        return found[0].element.get(name) if found else None

    def all(self, path):
        return self._found(path)

    def date_struct(self, path):
        date = _date(self.text(path))
        return {"date": date, "type": legacy_enum(self.attribute(path, "type"))} if date else None


@functools.lru_cache(maxsize=None)
def _steps(path):
    return tuple(path.split("/"))


def _contact(element, role):
    return {"name": element.text("last_name"), "role": role, "phone": element.text("phone"),
            "phoneExt": element.text("phone_ext"), "email": element.text("email")}


def _location(site):
    return {
        "facility": site.text("facility/name"), "status": legacy_enum(site.text("status")),
        "city": site.text("facility/address/city"), "state": site.text("facility/address/state"),
        "zip": site.text("facility/address/zip"), "country": site.text("facility/address/country"),
        "contacts": [_contact(c, "CONTACT") for c in site.all("contact") + site.all("contact_backup")]
                    + [{"name": i.text("last_name"), "role": legacy_enum(i.text("role"))} for i in site.all("investigator")],
    }


def _large_document(document):
    url = document.text("document_url")
    filename = url.rsplit("/", 1)[-1] if url else None
    return {"typeAbbrev": filename.rsplit("_", 1)[0] if filename and "_" in filename else None,
            "label": document.text("document_type"),
            "hasProtocol": _yes(document.text("document_has_protocol")),
            "hasIcf": _yes(document.text("document_has_icf")), "hasSap": _yes(document.text("document_has_sap")),
            "date": _date(document.text("document_date")), "filename": filename}


def _date(text):
    """A legacy date (`March 15, 2005`, `March 2005`) as API v2 writes it (`2005-03-15`, `2005-03`);
    a text that is no date (`Unknown`) stays as it is (the SQL reads no date from it)."""
    try:
        date, precision = parse_date(text)
    except ValueError:
        return text
    if date is None:
        return None
    return {"day": date.isoformat(), "month": date.isoformat()[:7], "year": date.isoformat()[:4]}[precision]


def _yes(text):
    return legacy_yes_no(text) if text else None


def _age(text):
    """`18 Years`; the legacy `N/A` (no limit) is no age, as in API v2."""
    return None if not text or text.upper() in ("N/A", "NA") else text


def _count(text):
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def _who_masked(text):
    """`Double (Participant, Investigator)`, or only `Participant, Investigator` -> [PARTICIPANT, INVESTIGATOR]."""
    if not text:
        return []
    roles = (text[text.index("(") + 1:text.rindex(")") if ")" in text else None] if "(" in text else text).split(",")
    return [_MASKED_ROLES[role.strip().lower()] for role in roles if role.strip().lower() in _MASKED_ROLES]


def _pruned(value):
    """The value without nulls, empty lists and empty objects (API v2 leaves out what it lacks)."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, [], {})}
    if isinstance(value, list):
        return [item for item in map(_pruned, value) if item not in (None, [], {})]
    return value

