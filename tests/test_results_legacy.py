"""Legacy `<clinical_results>` becomes a v2 `resultsSection` (etl/legacy_results.py): the v2 keys,
the v2 spelling of coded values, and the legacy shapes the shared files hold."""
from collections import defaultdict

import pytest
from lxml import etree

from results_documents import shared_legacy_results, shared_v2_documents
from test_results_tables import V2_LEAVES, V2_LEFT_OUT, _leaves
from trials.etl.legacy_results import results_section

# The v2 codes of the coded results fields (ClinicalTrials.gov data model, API v2).
V2_CODES = {
    "outcomeMeasuresModule.outcomeMeasures[].type": {"PRIMARY", "SECONDARY", "OTHER_PRE_SPECIFIED", "POST_HOC"},
    "outcomeMeasuresModule.outcomeMeasures[].reportingStatus": {"POSTED", "NOT_POSTED"},
    "outcomeMeasuresModule.outcomeMeasures[].paramType": {
        "GEOMETRIC_MEAN", "GEOMETRIC_LEAST_SQUARES_MEAN", "LEAST_SQUARES_MEAN", "LOG_MEAN", "MEAN", "MEDIAN",
        "NUMBER", "COUNT_OF_PARTICIPANTS", "COUNT_OF_UNITS"},
    "baselineCharacteristicsModule.measures[].dispersionType": {
        "NA", "STANDARD_DEVIATION", "STANDARD_ERROR", "INTER_QUARTILE_RANGE", "FULL_RANGE", "CONFIDENCE_80",
        "CONFIDENCE_90", "CONFIDENCE_95", "CONFIDENCE_975", "CONFIDENCE_99", "CONFIDENCE_OTHER",
        "GEOMETRIC_COEFFICIENT"},
    "outcomeMeasuresModule.outcomeMeasures[].analyses[].ciNumSides": {"ONE_SIDED", "TWO_SIDED"},
    "outcomeMeasuresModule.outcomeMeasures[].analyses[].dispersionType": {"STANDARD_DEVIATION",
                                                                          "STANDARD_ERROR_OF_MEAN"},
    "outcomeMeasuresModule.outcomeMeasures[].analyses[].nonInferiorityType": {
        "SUPERIORITY", "NON_INFERIORITY", "EQUIVALENCE", "OTHER", "NON_INFERIORITY_OR_EQUIVALENCE",
        "SUPERIORITY_OR_OTHER", "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY", "SUPERIORITY_OR_OTHER_LEGACY"},
    "adverseEventsModule.seriousEvents[].assessmentType": {"NON_SYSTEMATIC_ASSESSMENT", "SYSTEMATIC_ASSESSMENT"},
    "adverseEventsModule.otherEvents[].assessmentType": {"NON_SYSTEMATIC_ASSESSMENT", "SYSTEMATIC_ASSESSMENT"},
    "moreInfoModule.certainAgreement.restrictionType": {"LTE60", "GT60", "OTHER"},
}
V2_CODES["baselineCharacteristicsModule.measures[].paramType"] = V2_CODES["outcomeMeasuresModule.outcomeMeasures[].paramType"]


@pytest.fixture(scope="module")
def converted(shared_data):
    """{record_id: (the <clinical_results> element, its resultsSection)} of the shared XML with results."""
    return {record_id: (element, results_section(element))
            for record_id, (_, element) in shared_legacy_results(shared_data).items() if element is not None}


def _values(sections):
    out = defaultdict(set)
    for section in sections:
        for path, value in _leaves(section):
            out[path].add(value)
    return out


def test_legacy_results_take_the_v2_shape(converted):
    assert len(converted) == 186
    paths = _values(section for _, section in converted.values())
    assert set(paths) - set(V2_LEAVES) - set(V2_LEFT_OUT) == set()
    assert {key for _, section in converted.values() for key in section} == {
        "participantFlowModule", "baselineCharacteristicsModule", "outcomeMeasuresModule", "adverseEventsModule",
        "moreInfoModule"}


def test_coded_values_are_spelled_as_v2_spells_them(converted, shared_data):
    legacy = _values(section for _, section in converted.values())
    v2 = _values(doc.get("resultsSection") or {} for doc in shared_v2_documents(shared_data).values())
    for path, codes in V2_CODES.items():
        assert v2[path] <= codes, path  # the codes here are the registry's
        assert legacy[path] <= codes, path
    assert legacy["outcomeMeasuresModule.outcomeMeasures[].type"] >= {"PRIMARY", "SECONDARY", "POST_HOC"}
    assert {type(v) for v in legacy["adverseEventsModule.seriousEvents[].stats[].numAffected"]} == {int}
    assert {type(v) for v in legacy["participantFlowModule.periods[].milestones[].achievements[].numSubjects"]} == {str}


def test_group_ids_are_the_files_own_and_number_the_groups_in_order(converted):
    """`P3` is the third participant-flow group, as `FG002` is in v2: ids stay as given, and the
    position says which v2 id a legacy id corresponds to."""
    for record_id, (_, section) in converted.items():
        lists = [("P", section.get("participantFlowModule", {}).get("groups", [])),
                 ("B", section.get("baselineCharacteristicsModule", {}).get("groups", [])),
                 ("E", section.get("adverseEventsModule", {}).get("eventGroups", []))]
        lists += [("O", o.get("groups", [])) for o in section["outcomeMeasuresModule"]["outcomeMeasures"]]
        for prefix, groups in lists:
            assert [g["id"] for g in groups] == [f"{prefix}{n}" for n in range(1, len(groups) + 1)], record_id


def test_the_oldest_files_count_participants_as_a_measure(converted):
    _, section = converted["xml/NCT00179647.xml"]
    baseline = section["baselineCharacteristicsModule"]
    assert baseline["denoms"] == [{"units": "Participants", "counts": [{"groupId": "B1", "value": "1913"}]}]
    assert [m["title"] for m in baseline["measures"]] == ["Age", "Age", "Gender", "Region of Enrollment"]
    assert baseline["measures"][0]["classes"] == [{"categories": [
        {"title": "<=18 years", "measurements": [{"groupId": "B1", "value": "0"}]},
        {"title": "Between 18 and 65 years", "measurements": [{"groupId": "B1", "value": "1090"}]},
        {"title": ">=65 years", "measurements": [{"groupId": "B1", "value": "823"}]}]}]
    assert baseline["measures"][1]["dispersionType"] == "STANDARD_DEVIATION"
    outcome = next(o for o in section["outcomeMeasuresModule"]["outcomeMeasures"]
                   if o["title"] == "Overall Incidence of Adverse Events")
    assert outcome["denoms"] == [{"units": "Participants", "counts": [{"groupId": "O1", "value": "1913"}]}]
    assert outcome["classes"] == [{"categories": [{"measurements": [{"groupId": "O1", "value": "1877"}]}]}]
    assert (outcome["type"], outcome["paramType"], outcome["reportingStatus"]) == ("PRIMARY", "NUMBER", "POSTED")


def test_totals_become_the_event_groups_and_defaults_fill_the_events(converted):
    deaths = [(record_id, element) for record_id, (element, _) in converted.items()
              if element.xpath(".//event[sub_title='Total, all-cause mortality']")]
    assert len(deaths) == 20
    record_id, element = deaths[0]
    ae = converted[record_id][1]["adverseEventsModule"]
    total = element.xpath(".//event[sub_title='Total, all-cause mortality']/counts")[0]
    group = next(g for g in ae["eventGroups"] if g["id"] == total.get("group_id"))
    assert group["deathsNumAffected"] == int(total.get("subjects_affected"))
    assert group["deathsNumAtRisk"] == int(total.get("subjects_at_risk"))
    terms = {e["term"] for kind in ("seriousEvents", "otherEvents") for e in ae.get(kind, [])}
    assert not {t for t in terms if t.lower().startswith("total,")}
    for record_id, (element, section) in converted.items():
        default = element.findtext("reported_events/other_events/default_vocab")
        events = section.get("adverseEventsModule", {}).get("otherEvents", [])
        if default and events:
            assert all(e.get("sourceVocabulary") for e in events), record_id


def test_agreements_become_v2_codes():
    def agreement(text):
        element = etree.fromstring(
            "<clinical_results><certain_agreements><pi_employee>Principal Investigators are NOT employed by the "
            f"organization sponsoring the study.</pi_employee><restrictive_agreement>{text}</restrictive_agreement>"
            "</certain_agreements></clinical_results>")
        return results_section(element)["moreInfoModule"]["certainAgreement"]

    standard = ("The only disclosure restriction on the PI is that the sponsor can review results communications "
                "prior to public release and can embargo communications regarding trial results for a period that is ")
    assert agreement(standard + "less than or equal to 60 days. The sponsor cannot require changes to the "
                     "communication and cannot extend the embargo.") == {
        "piSponsorEmployee": False, "restrictionType": "LTE60", "restrictiveAgreement": True}
    assert agreement(standard + "more than 60 days but less than or equal to 180 days. The sponsor cannot "
                     "require changes to the communication and cannot extend the embargo.")["restrictionType"] == "GT60"
    assert agreement("There is NOT an agreement between Principal Investigators and the Sponsor.") == {
        "piSponsorEmployee": False, "restrictiveAgreement": False}
    assert agreement("Sponsor may delay publication 90 days.") == {
        "piSponsorEmployee": False, "restrictionType": "OTHER", "restrictiveAgreement": True,
        "otherDetails": "Sponsor may delay publication 90 days."}


def test_an_outcome_without_a_measure_is_not_posted():
    element = etree.fromstring(
        "<clinical_results><outcome_list><outcome><type>Secondary</type><title>Survival</title>"
        "<time_frame>5 years</time_frame><posting_date>12/2020</posting_date></outcome></outcome_list>"
        "</clinical_results>")
    assert results_section(element) == {"outcomeMeasuresModule": {"outcomeMeasures": [{
        "title": "Survival", "reportingStatus": "NOT_POSTED", "type": "SECONDARY", "timeFrame": "5 years",
        "anticipatedPostingDate": "2020-12"}]}}


def test_an_old_outcome_with_only_its_participant_count_keeps_the_count():
    element = etree.fromstring(
        "<clinical_results><outcome_list><outcome><type>Primary</type><title>Response</title><measure_list>"
        "<measure><title>Number of Participants</title><units>participants</units><param>Number</param>"
        "<category_list><category><measurement_list><measurement group_id='O1' value='12'/></measurement_list>"
        "</category></category_list></measure></measure_list></outcome></outcome_list></clinical_results>")
    outcome = results_section(element)["outcomeMeasuresModule"]["outcomeMeasures"][0]
    assert outcome["denoms"] == [{"units": "Participants", "counts": [{"groupId": "O1", "value": "12"}]}]
    assert outcome["reportingStatus"] == "POSTED" and "classes" not in outcome


def test_nothing_in_gives_nothing_out():
    assert results_section(None) is None
    assert results_section(etree.fromstring("<clinical_results/>")) is None
