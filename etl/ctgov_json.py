"""Parser of one ClinicalTrials.gov API v2 study object (JSON bytes) into the normalized record."""
import json

import orjson

from etl.record import ParseError, make_record, normalized
from etl.vocab import country_code, date_columns, join_phases, parse_age_years, parse_date


def parse_study(body, url=None):
    try:
        study = orjson.loads(body)
    except orjson.JSONDecodeError:
        # orjson reads only UTF-8 and strict JSON; the stdlib parser, as before, takes the rest
        # (UTF-16 and UTF-32 bodies, NaN, huge ints) and words the error when it is not JSON at all.
        try:
            study = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: [[[[...
            raise ParseError(f"invalid JSON: {type(exc).__name__}: {exc}") from None
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise ParseError("not an API v2 study object: no protocolSection")
    return normalized(_normalize, study)


def _date(struct):
    return parse_date((struct or {}).get("date"))


def _normalize(study):
    p = study["protocolSection"]
    ident = p.get("identificationModule", {})
    status = p.get("statusModule", {})
    design = p.get("designModule", {})
    info = design.get("designInfo", {})
    enrollment = design.get("enrollmentInfo", {})
    elig = p.get("eligibilityModule", {})
    desc = p.get("descriptionModule", {})
    sponsors = p.get("sponsorCollaboratorsModule", {})
    lead = sponsors.get("leadSponsor", {})
    arms = p.get("armsInterventionsModule", {})
    outcomes = p.get("outcomesModule", {})
    conditions = p.get("conditionsModule", {})
    mesh = study.get("derivedSection", {}).get("conditionBrowseModule", {})

    phases = design.get("phases") or []
    trial = {
        "nct_id": ident.get("nctId"),
        "brief_title": ident.get("briefTitle"),
        "official_title": ident.get("officialTitle"),
        "acronym": ident.get("acronym"),
        "study_type": design.get("studyType"),
        "phase": join_phases(phases),
        "phases": phases,
        "overall_status": status.get("overallStatus"),
        "why_stopped": status.get("whyStopped"),
        **date_columns("start_date", _date(status.get("startDateStruct"))),
        **date_columns("primary_completion_date", _date(status.get("primaryCompletionDateStruct"))),
        **date_columns("completion_date", _date(status.get("completionDateStruct"))),
        "first_posted": _date(status.get("studyFirstPostDateStruct"))[0],
        "last_update_posted": _date(status.get("lastUpdatePostDateStruct"))[0],
        "enrollment": enrollment.get("count"),
        "enrollment_type": enrollment.get("type"),
        "allocation": info.get("allocation"),
        "intervention_model": info.get("interventionModel"),
        "primary_purpose": info.get("primaryPurpose"),
        "masking": info.get("maskingInfo", {}).get("masking"),
        "sex": elig.get("sex"),
        "minimum_age_years": parse_age_years(elig.get("minimumAge")),
        "maximum_age_years": parse_age_years(elig.get("maximumAge")),
        "healthy_volunteers": elig.get("healthyVolunteers"),
        "eligibility_criteria": elig.get("eligibilityCriteria"),
        "brief_summary": desc.get("briefSummary"),
        "detailed_description": desc.get("detailedDescription"),
        "lead_sponsor": lead.get("name"),
        "lead_sponsor_class": lead.get("class"),
        "has_results": bool(study.get("hasResults")),
    }
    return make_record(
        trial,
        conditions=[{"condition": c} for c in conditions.get("conditions", [])],
        keywords=[{"keyword": k} for k in conditions.get("keywords", [])],
        condition_mesh_terms=[{"mesh_id": m.get("id"), "mesh_term": m.get("term")}
                              for m in mesh.get("meshes", [])],
        interventions=[{"intervention_type": i.get("type"), "name": i.get("name"),
                        "description": i.get("description")} for i in arms.get("interventions", [])],
        arm_groups=[{"label": a.get("label"), "arm_type": a.get("type"),
                     "description": a.get("description")} for a in arms.get("armGroups", [])],
        sponsors=[{"name": lead.get("name"), "agency_class": lead.get("class"), "role": "lead"}] * bool(lead)
        + [{"name": c.get("name"), "agency_class": c.get("class"), "role": "collaborator"}
           for c in sponsors.get("collaborators", [])],
        sites=[_site(s) for s in p.get("contactsLocationsModule", {}).get("locations", [])],
        secondary_ids=[{"secondary_id": s.get("id"), "id_type": s.get("type"), "domain": s.get("domain")}
                       for s in ident.get("secondaryIdInfos", [])],
        outcomes=[{"kind": kind, "measure": o.get("measure"), "time_frame": o.get("timeFrame"),
                   "description": o.get("description")}
                  for kind in ("primary", "secondary", "other")
                  for o in outcomes.get(f"{kind}Outcomes", [])],
    )


def _site(location):
    geo = location.get("geoPoint", {})
    return {
        "facility": location.get("facility"),
        "city": location.get("city"),
        "state": location.get("state"),
        "zip": location.get("zip"),
        "country": location.get("country"),
        "country_code": country_code(location.get("country")),
        "status": location.get("status"),
        "latitude": geo.get("lat"),
        "longitude": geo.get("lon"),
    }
