"""Legacy `<clinical_results>` XML -> the API v2 `resultsSection` document, so one set of SQL models
(sql/documents/) reads the results of every source.

A pure function of one lxml element: no I/O, nothing looked up. The v2 shape is followed key for key
(participantFlowModule, baselineCharacteristicsModule, outcomeMeasuresModule, adverseEventsModule,
moreInfoModule); absent values are left out, as the API leaves them out. Coded values take the v2
spelling (`Standard Deviation` -> `STANDARD_DEVIATION`, `2-Sided` -> `TWO_SIDED`) where v2 codes them;
where v2 keeps free text (an outcome's dispersion type, an analysis's parameter) the text is kept.
Numbers stay the strings the file gives (v2 gives them as strings too) except the adverse-event counts,
which v2 gives as integers. Text keeps its line breaks, with CRLF made LF and the ends stripped.

Group ids stay as the legacy file gives them: `P1`, `B1`, `O1`, `E1` ... A legacy group `<X><n>` is the
n-th group of its list, as v2's `<Y>G<n-1, three digits>` is: P1 ~ FG000 (participant flow), B1 ~ BG000
(baseline), O1 ~ OG000 (each outcome numbers its own groups), E1 ~ EG000 (adverse events). The ids are
not rewritten, so a row's `result_group_id` is always what its source document says.

How the legacy shapes land (everything else maps element to key one for one):
- `analyzed_list/analyzed` (units, scope, count_list) -> `denoms` of the baseline, measure or class it
  sits in; its scope (`Overall`, `Measure`, `Class`) is where it sits, so it is not repeated.
- The oldest files give an outcome a `measure_list` whose first measure is `Number of Participants`
  and the baseline a `measure_list` that opens with one: that measure becomes the `denoms`
  (participants analyzed), as the registry now shows it; the categories of a measure without a
  `class_list` become one untitled class.
- `reported_events`: the events titled `Total, serious adverse events`, `Total, other adverse events`
  and `Total, all-cause mortality` become the event groups' totals (`seriousNumAffected` ...), not
  events; `default_vocab` and `default_assessment` fill each event that gives none (v2 has no
  list-level default); `frequency_threshold` (on the other events) is the module's.
- `certain_agreements/restrictive_agreement`: the registry's two standard embargo texts become
  `restrictionType` LTE60 or GT60, the standard "no agreement" text `restrictiveAgreement` false, and
  any other text `restrictionType` OTHER with the text in `otherDetails`.
- An outcome without a measure is `reportingStatus` NOT_POSTED (with its `posting_date` as
  `anticipatedPostingDate`, `MM/YYYY` -> `YYYY-MM`), one with a measure (or, in the oldest files,
  only its participant count) POSTED.
"""
import re

from trials.etl.legacy_vocab import legacy_enum, legacy_yes_no

# The events the legacy file lists in its `Total` category: event group totals in v2.
_TOTALS = {"total, serious adverse events": "serious", "total, other adverse events": "other",
           "total, all-cause mortality": "deaths"}
_CI_SIDES = {"1-SIDED": "ONE_SIDED", "2-SIDED": "TWO_SIDED"}
_ANALYSIS_DISPERSION = {"STANDARD_DEVIATION": "STANDARD_DEVIATION",
                        "STANDARD_ERROR_OF_THE_MEAN": "STANDARD_ERROR_OF_MEAN",
                        "STANDARD_ERROR_OF_MEAN": "STANDARD_ERROR_OF_MEAN"}
_CONFIDENCE = re.compile(r"^(\d+(?:\.\d+)?)\s*% Confidence Interval$", re.IGNORECASE)
_NO_AGREEMENT = "there is not an agreement"
_EMBARGO = {  # the registry's standard texts for the two embargo lengths it codes
    "less than or equal to 60 days. the sponsor cannot require changes": "LTE60",
    "more than 60 days but less than or equal to 180 days. the sponsor cannot require changes": "GT60",
}
_STANDARD_EMBARGO = "the only disclosure restriction on the pi is that the sponsor can review results"
_POSTING_DATE = re.compile(r"^(\d{1,2})/(\d{4})$")
_PARTICIPANTS_MEASURE = "number of participants"


def results_section(element):
    """The v2 `resultsSection` dict of a legacy `<clinical_results>` element (None for no element)."""
    if element is None:
        return None
    return _pruned({
        "participantFlowModule": _participant_flow(element.find("participant_flow")),
        "baselineCharacteristicsModule": _baseline(element.find("baseline")),
        "outcomeMeasuresModule": _outcomes(element.find("outcome_list")),
        "adverseEventsModule": _adverse_events(element.find("reported_events")),
        "moreInfoModule": {
            "limitationsAndCaveats": {"description": _text(element, "limitations_and_caveats")},
            "certainAgreement": _agreement(element.find("certain_agreements")),
            "pointOfContact": _contact(element.find("point_of_contact")),
        },
    }) or None


def _pruned(value):
    """The value without None, empty strings, lists and dicts, as the API leaves absent values out."""
    if isinstance(value, dict):
        value = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in map(_pruned, value) if v not in (None, "", [], {})]
    return value


def _clean(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").strip() if text else None


def _text(element, path):
    return _clean(element.findtext(path)) if element is not None else None


def _integer(text):
    """v2 gives adverse-event counts as integers; a count that is not one stays the string it is."""
    return int(text) if text is not None and text.strip().isdigit() else text


def _groups(element):
    return [{"id": g.get("group_id"), "title": _text(g, "title"), "description": _text(g, "description")}
            for g in element.iterfind("group_list/group")]


def _denoms(element):
    """`analyzed_list` -> v2 `denoms`: [{units, counts: [{groupId, value}]}]."""
    return [{"units": _text(a, "units"),
             "counts": [{"groupId": c.get("group_id"), "value": c.get("value")} for c in a.iterfind("count_list/count")]}
            for a in element.iterfind("analyzed_list/analyzed")]


def _participant_flow(flow):
    if flow is None:
        return None

    def stats(item):
        return [{"groupId": p.get("group_id"), "numSubjects": p.get("count"), "comment": _clean(p.text)}
                for p in item.iterfind("participants_list/participants")]

    return {
        "recruitmentDetails": _text(flow, "recruitment_details"),
        "preAssignmentDetails": _text(flow, "pre_assignment_details"),
        "groups": _groups(flow),
        "periods": [{
            "title": _text(period, "title"),
            "milestones": [{"type": _text(m, "title"), "achievements": stats(m)}
                           for m in period.iterfind("milestone_list/milestone")],
            "dropWithdraws": [{"type": _text(r, "title"), "reasons": stats(r)}
                              for r in period.iterfind("drop_withdraw_reason_list/drop_withdraw_reason")],
        } for period in flow.iterfind("period_list/period")],
    }


def _measure_dispersion(text):
    """A measure's dispersion as v2's MeasureDispersionType: `95% Confidence Interval` -> CONFIDENCE_95."""
    if not text:
        return None
    match = _CONFIDENCE.match(text.strip())
    if match:
        return "CONFIDENCE_" + match.group(1).replace(".", "")
    code = legacy_enum(text)
    return "GEOMETRIC_COEFFICIENT" if code.startswith("GEOMETRIC_COEFFICIENT") else code


def _participants_denoms(measures):
    """The oldest files count the participants as a first `Number of Participants` measure: its
    values become the denoms and the other measures stay measures."""
    first = measures[0] if measures else None
    if first is None or (first.findtext("title") or "").strip().lower() != _PARTICIPANTS_MEASURE \
            or first.find("class_list") is not None or len(first.findall("category_list/category")) != 1:
        return [], measures
    counts = [{"groupId": m.get("group_id"), "value": m.get("value")}
              for m in first.iterfind("category_list/category/measurement_list/measurement")]
    return [{"units": "Participants", "counts": counts}], measures[1:]


def _classes(measure):
    def categories(parent):
        return [{"title": _text(c, "title") or _text(c, "sub_title"),
                 "measurements": [{"groupId": m.get("group_id"), "value": m.get("value"), "spread": m.get("spread"),
                                   "lowerLimit": m.get("lower_limit"), "upperLimit": m.get("upper_limit"),
                                   "comment": _clean(m.text)}
                                  for m in c.iterfind("measurement_list/measurement")]}
                for c in parent.iterfind("category_list/category")]

    if measure.find("class_list") is None:
        return [{"categories": categories(measure)}] if measure.find("category_list") is not None else []
    return [{"title": _text(c, "title"), "denoms": _denoms(c), "categories": categories(c)}
            for c in measure.iterfind("class_list/class")]


def _baseline(baseline):
    if baseline is None:
        return None
    denoms, measures = _denoms(baseline), baseline.findall("measure_list/measure")
    if not denoms:
        denoms, measures = _participants_denoms(measures)
    return {
        "populationDescription": _text(baseline, "population"),
        "groups": _groups(baseline),
        "denoms": denoms,
        "measures": [{
            "title": _text(m, "title"),
            "description": _text(m, "description"),
            "populationDescription": _text(m, "population"),
            "paramType": legacy_enum(_text(m, "param")),
            "dispersionType": _measure_dispersion(_text(m, "dispersion")),
            "unitOfMeasure": _text(m, "units"),
            "denomUnitsSelected": _text(m, "units_analyzed"),
            "denoms": _denoms(m),
            "classes": _classes(m),
        } for m in measures],
    }


def _posting_date(text):
    match = _POSTING_DATE.match(text or "")
    return f"{match.group(2)}-{int(match.group(1)):02d}" if match else text


def _analysis(analysis):
    dispersion = legacy_enum(_text(analysis, "dispersion_type"))
    sides = _text(analysis, "ci_n_sides")
    return {
        "groupIds": [_clean(g.text) for g in analysis.iterfind("group_id_list/group_id")],
        "groupDescription": _text(analysis, "groups_desc"),
        "testedNonInferiority": legacy_yes_no(_text(analysis, "non_inferiority")),
        "nonInferiorityType": legacy_enum(_text(analysis, "non_inferiority_type")),
        "nonInferiorityComment": _text(analysis, "non_inferiority_desc"),
        "pValue": _text(analysis, "p_value"),
        "pValueComment": _text(analysis, "p_value_desc"),
        "statisticalMethod": _text(analysis, "method"),
        "statisticalComment": _text(analysis, "method_desc"),
        "paramType": _text(analysis, "param_type"),
        "paramValue": _text(analysis, "param_value"),
        "dispersionType": _ANALYSIS_DISPERSION.get(dispersion, dispersion),
        "dispersionValue": _text(analysis, "dispersion_value"),
        "ciPctValue": _text(analysis, "ci_percent"),
        "ciNumSides": _CI_SIDES.get(sides.upper(), legacy_enum(sides)) if sides else None,
        "ciLowerLimit": _text(analysis, "ci_lower_limit"),
        "ciUpperLimit": _text(analysis, "ci_upper_limit"),
        "ciLowerLimitComment": _text(analysis, "ci_lower_limit_na_comment"),
        "ciUpperLimitComment": _text(analysis, "ci_upper_limit_na_comment"),
        "estimateComment": _text(analysis, "estimate_desc"),
        "otherAnalysisDescription": _text(analysis, "other_analysis_desc"),
    }


def _outcomes(outcome_list):
    """One v2 outcome measure per legacy outcome (per measure, should an old `measure_list` hold
    more than the participant count and one measure; the analyses then stay with the first)."""
    if outcome_list is None:
        return None
    out = []
    for outcome in outcome_list.iterfind("outcome"):
        single = outcome.find("measure")
        denoms, measures = [], outcome.findall("measure_list/measure")
        if single is not None:
            measures = [single]
        else:
            denoms, measures = _participants_denoms(measures)
        common = {
            "type": legacy_enum(_text(outcome, "type")),
            "timeFrame": _text(outcome, "time_frame"),
            "anticipatedPostingDate": _posting_date(_text(outcome, "posting_date")),
            "groups": _groups(outcome),
        }
        analyses = [_analysis(a) for a in outcome.iterfind("analysis_list/analysis")]
        if not measures:  # not posted yet, or (old files) only the participants analyzed
            out.append({"title": _text(outcome, "title"), "description": _text(outcome, "description"),
                        "populationDescription": _text(outcome, "population"),
                        "reportingStatus": "POSTED" if denoms else "NOT_POSTED",
                        **common, "denoms": denoms, "analyses": analyses})
        for n, measure in enumerate(measures):
            out.append({
                "title": _text(outcome, "title") or _text(measure, "title"),
                "description": _text(outcome, "description") or _text(measure, "description"),
                "populationDescription": _text(outcome, "population") or _text(measure, "population"),
                "reportingStatus": "POSTED",
                **common,
                "paramType": legacy_enum(_text(measure, "param")),
                "dispersionType": _text(measure, "dispersion"),
                "unitOfMeasure": _text(measure, "units"),
                "typeUnitsAnalyzed": _text(measure, "units_analyzed"),
                "denoms": denoms or _denoms(measure),
                "classes": _classes(measure),
                "analyses": analyses if n == 0 else [],
            })
    return {"outcomeMeasures": out}


def _events(events, totals):
    """The events of `serious_events` or `other_events`; their `Total` rows go into `totals`."""
    if events is None:
        return []
    vocab, assessment = _text(events, "default_vocab"), _text(events, "default_assessment")
    out = []
    for category in events.iterfind("category_list/category"):
        for event in category.iterfind("event_list/event"):
            term = _text(event, "sub_title")
            counts = event.findall("counts")
            if (term or "").lower() in _TOTALS:
                kind = _TOTALS[term.lower()]
                for c in counts:
                    group = totals.setdefault(c.get("group_id"), {})
                    group[f"{kind}NumAffected"] = _integer(c.get("subjects_affected"))
                    group[f"{kind}NumAtRisk"] = _integer(c.get("subjects_at_risk"))
                continue
            sub_title = event.find("sub_title")
            out.append({
                "term": term,
                "organSystem": _text(category, "title"),
                "sourceVocabulary": (sub_title.get("vocab") if sub_title is not None else None) or vocab,
                "assessmentType": legacy_enum(_text(event, "assessment") or assessment),
                "notes": _text(event, "description"),
                "stats": [{"groupId": c.get("group_id"), "numEvents": _integer(c.get("events")),
                           "numAffected": _integer(c.get("subjects_affected")),
                           "numAtRisk": _integer(c.get("subjects_at_risk"))} for c in counts],
            })
    return out


def _adverse_events(reported):
    if reported is None:
        return None
    totals = {}
    serious = _events(reported.find("serious_events"), totals)
    other = _events(reported.find("other_events"), totals)
    return {
        "frequencyThreshold": _text(reported, "other_events/frequency_threshold")
        or _text(reported, "serious_events/frequency_threshold"),
        "timeFrame": _text(reported, "time_frame"),
        "description": _text(reported, "desc"),
        "eventGroups": [{**g, **totals.get(g["id"], {})} for g in _groups(reported)],
        "seriousEvents": serious,
        "otherEvents": other,
    }


def _agreement(agreements):
    if agreements is None:
        return None
    employee = (_text(agreements, "pi_employee") or "").lower()
    text = _text(agreements, "restrictive_agreement")
    folded = " ".join((text or "").lower().split())
    restrictive, kind, details = None, None, None
    if folded.startswith(_NO_AGREEMENT):
        restrictive = False
    elif folded:
        restrictive = True
        kind = next((code for phrase, code in _EMBARGO.items()
                     if folded.startswith(_STANDARD_EMBARGO) and phrase in folded), "OTHER")
        details = text if kind == "OTHER" else None
    return {
        "piSponsorEmployee": True if "are employed" in employee else False if "not employed" in employee else None,
        "restrictionType": kind,
        "restrictiveAgreement": restrictive,
        "otherDetails": details,
    }


def _contact(contact):
    if contact is None:
        return None
    return {"title": _text(contact, "name_or_title"), "organization": _text(contact, "organization"),
            "phone": _text(contact, "phone"), "phoneExt": _text(contact, "phone_ext"),
            "email": _text(contact, "email")}
