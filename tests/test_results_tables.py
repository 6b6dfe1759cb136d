"""The results tables (sql/documents/) hold what the shared records say, from API v2, bulk JSON and
legacy XML alike, and no field of a record's results is lost.

`documents` is bound here from the shared files (tests/results_documents.py); the facts each test
compares against are counted from the JSON and the XML with plain Python, not with the SQL.
"""
import math
import re
from collections import Counter, defaultdict

import duckdb
import pytest

from results_documents import (RESULTS_TABLES, bind_documents, build_document_tables, document_rows,
                               shared_legacy_results, shared_v2_documents)

TOTAL_EVENTS = {"total, serious adverse events": "serious", "total, other adverse events": "other",
                "total, all-cause mortality": "deaths"}


@pytest.fixture(scope="module")
def shared(shared_data):
    v2, legacy = shared_v2_documents(shared_data), shared_legacy_results(shared_data)
    # The records with results, and enough without to see that they give no rows: binding the 1,200
    # large v2 records without results would triple the time and test nothing more.
    without = [record_id for record_id, doc in v2.items() if "resultsSection" not in doc]
    v2 = {record_id: doc for record_id, doc in v2.items() if record_id not in without[50:]}
    con = duckdb.connect()
    bind_documents(con, document_rows(v2, legacy))
    build_document_tables(con)
    yield con, v2, legacy
    con.close()


def _rows_by_record(con, sql):
    out = defaultdict(list)
    for record_id, *rest in con.execute(sql).fetchall():
        out[record_id].append(tuple(rest))
    return out


# ---- facts straight from the v2 JSON -------------------------------------------------------------

def _v2_parts(doc):
    r = doc.get("resultsSection") or {}
    return (r, r.get("participantFlowModule"), r.get("baselineCharacteristicsModule") or {},
            (r.get("outcomeMeasuresModule") or {}).get("outcomeMeasures") or [], r.get("adverseEventsModule") or {},
            r.get("moreInfoModule") or {})


def _value_rows(classes):
    """Rows of a measure's values: one per value, and one for a class or category without any."""
    return sum(max(1, len(cat.get("measurements", []))) for c in classes for cat in c.get("categories") or [{}])


def _denom_counts(holder):
    return [c for d in holder.get("denoms", []) for c in d.get("counts", [])]


def v2_facts(doc):
    r, flow, baseline, outcomes, ae, info = _v2_parts(doc)
    periods = (flow or {}).get("periods", [])
    events = {kind: ae.get(key, []) for kind, key in (("serious", "seriousEvents"), ("other", "otherEvents"))}
    groups = {("participant_flow", None, g["id"], g.get("title")) for g in (flow or {}).get("groups", [])}
    groups |= {("baseline", None, g["id"], g.get("title")) for g in baseline.get("groups", [])}
    groups |= {("outcome", n, g["id"], g.get("title")) for n, o in enumerate(outcomes, 1) for g in o.get("groups", [])}
    groups |= {("adverse_event", None, g["id"], g.get("title")) for g in ae.get("eventGroups", [])}
    rows = {
        "result_groups": len((flow or {}).get("groups", [])) + len(baseline.get("groups", []))
        + sum(len(o.get("groups", [])) for o in outcomes) + len(ae.get("eventGroups", [])),
        "participant_flows": int(flow is not None),
        "milestones": sum(len(m.get("achievements", [])) for p in periods for m in p.get("milestones", [])),
        "drop_withdrawals": sum(len(d.get("reasons", [])) for p in periods for d in p.get("dropWithdraws", [])),
        "baseline_counts": len(_denom_counts(baseline)) + sum(
            len(_denom_counts(m)) + sum(len(_denom_counts(c)) for c in m.get("classes", []))
            for m in baseline.get("measures", [])),
        "baseline_measurements": sum(_value_rows(m.get("classes") or [{}]) for m in baseline.get("measures", [])),
        "result_outcomes": len(outcomes),
        "outcome_measurements": sum(_value_rows(o.get("classes", [])) for o in outcomes),
        "outcome_counts": sum(len(_denom_counts(o)) + sum(len(_denom_counts(c)) for c in o.get("classes", []))
                              for o in outcomes),
        "outcome_analyses": sum(len(o.get("analyses", [])) for o in outcomes),
        "reported_events": sum(len(e.get("stats", [])) for kind in events.values() for e in kind),
        "reported_event_totals": sum(1 for g in ae.get("eventGroups", []) for kind in ("deaths", "serious", "other")
                                     if g.get(f"{kind}NumAffected") is not None or g.get(f"{kind}NumAtRisk") is not None),
        "result_agreements": int("certainAgreement" in info),
        "result_contacts": int("pointOfContact" in info),
    }
    return {
        "rows": rows,
        "serious_affected": sum(s.get("numAffected") or 0 for e in events["serious"] for s in e.get("stats", [])),
        "serious_total": sum(g.get("seriousNumAffected") or 0 for g in ae.get("eventGroups", [])),
        "p_values": sorted((n, a.get("pValue") or "") for n, o in enumerate(outcomes, 1) for a in o.get("analyses", [])),
        "groups": groups,
    }


# ---- facts straight from the legacy XML ----------------------------------------------------------

def _text(element, path):
    return (element.findtext(path) or "").strip() or None


def _split_measures(holder, path):
    """(participant-count measure or None, the other measures): the oldest files open a measure_list
    with a `Number of Participants` measure that is the count analyzed, not a result."""
    measures = holder.findall(path)
    first = measures[0] if measures else None
    if (path.endswith("measure_list/measure") and first is not None
            and _text(first, "title").lower() == "number of participants" and first.find("class_list") is None
            and len(first.findall("category_list/category")) == 1):
        return first, measures[1:]
    return None, measures


def _xml_measurements(measure):
    return measure.findall(".//measurement_list/measurement")


def _xml_value_rows(measure, empty):
    """Rows of a measure's values: one per value, one for a class or category without any, and
    `empty` for a measure without classes (an old measure's categories make one untitled class)."""
    classes = measure.findall("class_list/class") or ([measure] if measure.find("category_list") is not None else [])
    if not classes:
        return empty
    return sum(max(1, len(cat.findall("measurement_list/measurement")))
               for c in classes for cat in c.findall("category_list/category") or [None])


def xml_facts(results):
    if results is None:
        return {"rows": dict.fromkeys(RESULTS_TABLES, 0), "serious_affected": 0, "serious_total": 0,
                "p_values": [], "groups": set()}
    baseline = results.find("baseline")
    count_only, baseline_measures = (None, []) if baseline is None else _split_measures(baseline, "measure_list/measure")
    baseline_counts = len(baseline.findall(".//analyzed_list/analyzed/count_list/count")) if baseline is not None else 0
    if count_only is not None and baseline.find("analyzed_list") is None:
        baseline_counts += len(_xml_measurements(count_only))
    groups = {(kind, None, g.get("group_id"), _text(g, "title"))
              for section, kind in (("participant_flow", "participant_flow"), ("baseline", "baseline"),
                                    ("reported_events", "adverse_event"))
              for g in results.iterfind(f"{section}/group_list/group")}
    outcome_rows = outcome_values = outcome_counts = 0
    p_values = []
    for outcome in results.iterfind("outcome_list/outcome"):
        count_only, measures = _split_measures(outcome, "measure") if outcome.find("measure") is not None \
            else _split_measures(outcome, "measure_list/measure")
        first_number = outcome_rows + 1
        for n in range(first_number, first_number + max(1, len(measures))):
            groups |= {("outcome", n, g.get("group_id"), _text(g, "title")) for g in outcome.iterfind("group_list/group")}
        outcome_rows += max(1, len(measures))
        outcome_values += sum(_xml_value_rows(m, 0) for m in measures)
        outcome_counts += sum(len(m.findall(".//analyzed_list/analyzed/count_list/count")) for m in measures)
        if count_only is not None:
            outcome_counts += len(_xml_measurements(count_only))
        p_values += [(first_number, _text(a, "p_value") or "") for a in outcome.iterfind("analysis_list/analysis")]
    events = {"serious": [], "other": []}
    totals = 0
    for kind in events:
        for event in results.iterfind(f"reported_events/{kind}_events/category_list/category/event_list/event"):
            if (_text(event, "sub_title") or "").lower() in TOTAL_EVENTS:
                totals += sum(1 for c in event.iterfind("counts") if c.get("subjects_affected") or c.get("subjects_at_risk"))
            else:
                events[kind].append(event)
    serious_total = sum(int(c.get("subjects_affected") or 0)
                        for c in results.iterfind("reported_events/serious_events/category_list/category/event_list/event/counts")
                        if _text(c.getparent(), "sub_title").lower() == "total, serious adverse events")
    flow = results.find("participant_flow")
    rows = {
        "result_groups": len(results.findall("participant_flow/group_list/group"))
        + len(results.findall("baseline/group_list/group")) + len(results.findall("reported_events/group_list/group"))
        + sum(1 for g in groups if g[0] == "outcome"),
        "participant_flows": int(flow is not None),
        "milestones": len(results.findall("participant_flow/period_list/period/milestone_list/milestone/participants_list/participants")),
        "drop_withdrawals": len(results.findall("participant_flow/period_list/period/drop_withdraw_reason_list/"
                                                "drop_withdraw_reason/participants_list/participants")),
        "baseline_counts": baseline_counts,
        "baseline_measurements": sum(_xml_value_rows(m, 1) for m in baseline_measures),
        "result_outcomes": outcome_rows,
        "outcome_measurements": outcome_values,
        "outcome_counts": outcome_counts,
        "outcome_analyses": len(p_values),
        "reported_events": sum(len(e.findall("counts")) for kind in events.values() for e in kind),
        "reported_event_totals": totals,
        "result_agreements": int(results.find("certain_agreements") is not None),
        "result_contacts": int(results.find("point_of_contact") is not None),
    }
    return {
        "rows": rows,
        "serious_affected": sum(int(c.get("subjects_affected") or 0) for e in events["serious"] for c in e.iterfind("counts")),
        "serious_total": serious_total,
        "p_values": sorted(p_values),
        "groups": groups,
    }


@pytest.fixture(scope="module")
def facts(shared):
    _, v2, legacy = shared
    out = {record_id: v2_facts(doc) for record_id, doc in v2.items()}
    out.update({record_id: xml_facts(element) for record_id, (_, element) in legacy.items()})
    return out


def test_the_shared_records_with_results_are_all_read(shared, facts):
    _, v2, legacy = shared
    with_results = Counter(record_id.split("/")[0] for record_id, f in facts.items() if f["rows"]["result_groups"])
    assert with_results == {"v2": 81, "bulk": 68, "xml": 186}


def test_rows_per_table_per_record_equal_the_documents(shared, facts):
    con = shared[0]
    for table in RESULTS_TABLES:
        got = dict(con.execute(f"select record_id, count(*) from {table} group by 1").fetchall())
        expected = {record_id: f["rows"][table] for record_id, f in facts.items() if f["rows"][table]}
        assert got == expected, table


def test_subjects_affected_by_serious_adverse_events(shared, facts):
    con = shared[0]
    events = dict(con.execute("select record_id, sum(subjects_affected) from reported_events "
                              "where event_type = 'serious' group by 1").fetchall())
    totals = dict(con.execute("select record_id, sum(subjects_affected) from reported_event_totals "
                              "where event_type = 'serious' group by 1").fetchall())
    assert {r: n for r, n in events.items() if n} == {r: f["serious_affected"] for r, f in facts.items() if f["serious_affected"]}
    assert {r: n for r, n in totals.items() if n} == {r: f["serious_total"] for r, f in facts.items() if f["serious_total"]}
    assert sum(f["serious_total"] for f in facts.values()) > 1000


def test_p_values_of_the_analyses(shared, facts):
    con = shared[0]
    got = _rows_by_record(con, "select record_id, outcome_number, coalesce(p_value_raw, '') from outcome_analyses")
    assert {r: sorted(v) for r, v in got.items()} == {r: f["p_values"] for r, f in facts.items() if f["p_values"]}
    assert sum(1 for f in facts.values() for _, p in f["p_values"] if p) > 2000


def test_p_values_read_as_numbers(shared):
    """A plain number is itself; `<0.001` is 0.001 with its sign apart; a decimal comma is a point."""
    rows = shared[0].execute("select p_value_raw, p_value_modifier, p_value from outcome_analyses "
                             "where p_value_raw is not null").fetchall()
    plain = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
    for raw, modifier, value in rows:
        if plain.match(raw):
            assert (modifier, value) == (None, float(raw)), raw
        else:
            sign, number = re.match(r"^\s*([<>=≤≥]*)\s*(.*?)\s*$", raw).groups()
            assert (modifier, value) == (sign or None, float(number.replace(",", "."))), raw
    by_raw = {raw: (modifier, value) for raw, modifier, value in rows}
    assert by_raw["< 0.0001"] == ("<", 0.0001) and by_raw["0,001"] == (None, 0.001)


def test_values_that_are_not_numbers_stay_as_given(shared):
    con = shared[0]
    for table in ("baseline_measurements", "outcome_measurements"):
        rows = con.execute(f"select param_value, param_value_num, dispersion_value, dispersion_value_num, "
                           f"dispersion_upper_limit_raw, dispersion_upper_limit from {table}").fetchall()
        assert ("NA", None) in {(r[0], r[1]) for r in rows} and ("NA", None) in {(r[4], r[5]) for r in rows}
        for value, number, *_ in rows:
            if value is not None and re.match(r"^-?\d+(\.\d+)?$", value):
                assert math.isclose(number, float(value)), (table, value)


def test_group_ids_and_titles(shared, facts):
    con = shared[0]
    got = _rows_by_record(con, "select record_id, result_type, outcome_number, result_group_id, title from result_groups")
    assert {r: set(v) for r, v in got.items()} == {r: f["groups"] for r, f in facts.items() if f["groups"]}
    ids = {row[0] for row in con.execute("select distinct result_group_id from result_groups").fetchall()}
    assert {"FG000", "BG000", "OG000", "EG000", "P1", "B1", "O1", "E1"} <= ids


def test_measurements_know_their_outcome_and_analyses_their_groups(shared):
    """outcome_number ties an outcome's values, counts, analyses and groups to `result_outcomes`."""
    con = shared[0]
    for table in ("outcome_measurements", "outcome_counts", "outcome_analyses"):
        orphans = con.execute(f"select count(*) from {table} as t anti join result_outcomes as o "
                              "using (record_id, outcome_number)").fetchone()[0]
        assert orphans == 0, table
    unknown = con.execute("""
        select count(*) from (select record_id, outcome_number, unnest(group_ids) as g from outcome_analyses) as a
        anti join result_groups as g
          on g.record_id = a.record_id and g.outcome_number = a.outcome_number and g.result_group_id = a.g""").fetchone()[0]
    assert unknown == 0


# ---- no field lost: every leaf under the results lands in a column --------------------------------

def _columns(prefix, table, mapping):
    return {f"{prefix}.{path}" if path else prefix: f"{table}.{column}" for path, column in mapping.items()}


def _denoms(prefix, table, group, units, count):
    return _columns(prefix, table, {"units": units, "counts[].groupId": group, "counts[].value": count})


_FLOW = "participantFlowModule"
_BASELINE = "baselineCharacteristicsModule"
_OUTCOME = "outcomeMeasuresModule.outcomeMeasures[]"
_AE = "adverseEventsModule"
_MEASUREMENTS = {"groupId": "result_group_id", "value": "param_value", "spread": "dispersion_value",
                 "lowerLimit": "dispersion_lower_limit_raw", "upperLimit": "dispersion_upper_limit_raw",
                 "comment": "explanation_of_na"}
_EVENTS = {"term": "adverse_event_term", "organSystem": "organ_system", "sourceVocabulary": "vocab",
           "assessmentType": "assessment", "notes": "notes", "stats[].groupId": "result_group_id",
           "stats[].numEvents": "event_count", "stats[].numAffected": "subjects_affected",
           "stats[].numAtRisk": "subjects_at_risk"}
_GROUPS = {"id": "result_group_id", "title": "title", "description": "description"}

# Every leaf path under `resultsSection` of a v2 record -> the table.column its values land in.
V2_LEAVES = {
    **_columns(_FLOW, "participant_flows", {"recruitmentDetails": "recruitment_details",
                                            "preAssignmentDetails": "pre_assignment_details",
                                            "typeUnitsAnalyzed": "units_analyzed"}),
    **_columns(f"{_FLOW}.groups[]", "result_groups", _GROUPS),
    **_columns(f"{_FLOW}.periods[]", "milestones", {"title": "period", "milestones[].type": "title",
                                                    "milestones[].comment": "milestone_description"}),
    **_columns(f"{_FLOW}.periods[].milestones[].achievements[]", "milestones", {
        "groupId": "result_group_id", "numSubjects": "count", "numUnits": "count_units", "comment": "description"}),
    **_columns(f"{_FLOW}.periods[].dropWithdraws[]", "drop_withdrawals", {
        "type": "reason", "comment": "drop_withdraw_comment", "reasons[].groupId": "result_group_id",
        "reasons[].numSubjects": "count", "reasons[].numUnits": "count_units", "reasons[].comment": "reason_comment"}),
    **_columns(_BASELINE, "baseline_counts", {"populationDescription": "population_description",
                                              "typeUnitsAnalyzed": "units_analyzed"}),
    **_columns(f"{_BASELINE}.groups[]", "result_groups", _GROUPS),
    **_denoms(f"{_BASELINE}.denoms[]", "baseline_counts", "result_group_id", "units", "count"),
    **_columns(f"{_BASELINE}.measures[]", "baseline_measurements", {
        "title": "title", "description": "description", "populationDescription": "population_description",
        "paramType": "param_type", "dispersionType": "dispersion_type", "unitOfMeasure": "units",
        "calculatePct": "calculate_percentage", "denomUnitsSelected": "denom_units_selected",
        "classes[].title": "classification", "classes[].categories[].title": "category"}),
    **_denoms(f"{_BASELINE}.measures[].denoms[]", "baseline_counts", "result_group_id", "units", "count"),
    **_denoms(f"{_BASELINE}.measures[].classes[].denoms[]", "baseline_counts", "result_group_id", "units", "count"),
    **_columns(f"{_BASELINE}.measures[].classes[].categories[].measurements[]", "baseline_measurements", _MEASUREMENTS),
    **_columns(_OUTCOME, "result_outcomes", {
        "type": "outcome_type", "title": "title", "description": "description", "populationDescription": "population",
        "reportingStatus": "reporting_status", "anticipatedPostingDate": "anticipated_posting_date",
        "paramType": "param_type", "dispersionType": "dispersion_type", "unitOfMeasure": "units",
        "calculatePct": "calculate_percentage", "timeFrame": "time_frame", "typeUnitsAnalyzed": "units_analyzed",
        "denomUnitsSelected": "denom_units_selected"}),
    **_columns(f"{_OUTCOME}.groups[]", "result_groups", _GROUPS),
    **_denoms(f"{_OUTCOME}.denoms[]", "outcome_counts", "result_group_id", "units", "count"),
    **_denoms(f"{_OUTCOME}.classes[].denoms[]", "outcome_counts", "result_group_id", "units", "count"),
    **_columns(f"{_OUTCOME}.classes[]", "outcome_measurements", {"title": "classification",
                                                                 "categories[].title": "category"}),
    **_columns(f"{_OUTCOME}.classes[].categories[].measurements[]", "outcome_measurements", _MEASUREMENTS),
    **_columns(f"{_OUTCOME}.analyses[]", "outcome_analyses", {
        "groupIds[]": "group_ids", "groupDescription": "groups_description", "paramType": "param_type",
        "paramValue": "param_value_raw", "dispersionType": "dispersion_type", "dispersionValue": "dispersion_value_raw",
        "statisticalMethod": "method", "statisticalComment": "method_description", "pValue": "p_value_raw",
        "pValueComment": "p_value_description", "ciNumSides": "ci_n_sides", "ciPctValue": "ci_percent",
        "ciLowerLimit": "ci_lower_limit_raw", "ciUpperLimit": "ci_upper_limit_raw",
        "ciLowerLimitComment": "ci_lower_limit_na_comment", "ciUpperLimitComment": "ci_upper_limit_na_comment",
        "estimateComment": "estimate_description", "testedNonInferiority": "tested_non_inferiority",
        "nonInferiorityType": "non_inferiority_type", "nonInferiorityComment": "non_inferiority_description",
        "otherAnalysisDescription": "other_analysis_description"}),
    **_columns(_AE, "reported_event_totals", {
        "frequencyThreshold": "frequency_threshold", "timeFrame": "time_frame", "description": "description",
        "allCauseMortalityComment": "all_cause_mortality_comment"}),
    **_columns(f"{_AE}.eventGroups[]", "result_groups", _GROUPS),
    **_columns(f"{_AE}.eventGroups[]", "reported_event_totals", {
        f"{kind}Num{what}": f"subjects_{column}" for kind in ("deaths", "serious", "other")
        for what, column in (("Affected", "affected"), ("AtRisk", "at_risk"))}),
    **_columns(f"{_AE}.seriousEvents[]", "reported_events", _EVENTS),
    **_columns(f"{_AE}.otherEvents[]", "reported_events", _EVENTS),
    **_columns("moreInfoModule.certainAgreement", "result_agreements", {
        "piSponsorEmployee": "pi_employee", "restrictionType": "restriction_type",
        "restrictiveAgreement": "restrictive_agreement", "otherDetails": "other_details"}),
    **_columns("moreInfoModule.pointOfContact", "result_contacts", {
        "title": "name", "organization": "organization", "email": "email", "phone": "phone", "phoneExt": "extension"}),
}
# Leaf paths left out of the results tables on purpose, with the reason.
V2_LEFT_OUT = {
    "moreInfoModule.limitationsAndCaveats.description":
        "one text per trial, not per result: `trials.limitations_and_caveats` holds it (the record branch)",
}


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for child in value:
            yield from _leaves(child, f"{path}[]")
    else:
        yield path, value


def _norm(value):
    """One spelling for a value in JSON, XML and DuckDB: numbers as floats, booleans and text as text."""
    if isinstance(value, bool):
        return str(value).lower()
    try:
        return float(value)
    except (TypeError, ValueError):
        return " ".join(str(value).split())


@pytest.fixture(scope="module")
def landed(shared):
    """{(record_id, table, column): {normalized values}} of every column the leaf maps name."""
    con = shared[0]
    out = defaultdict(set)
    for target in {*V2_LEAVES.values(), *(t for targets, _ in XML_LEAVES.values() for t in targets)}:
        table, column = target.split(".")
        expression = f"unnest({column})" if column == "group_ids" else column
        for record_id, value in con.execute(f"select record_id, {expression} from {table} "
                                            f"where {column} is not null").fetchall():
            out[record_id, table, column].add(_norm(value))
    return out


def test_every_v2_results_leaf_lands_in_a_column_with_its_value(shared, landed):
    _, v2, _ = shared
    unmapped, lost = Counter(), Counter()
    for record_id, doc in v2.items():
        for path, value in _leaves(doc.get("resultsSection") or {}):
            if path in V2_LEFT_OUT:
                continue
            if path not in V2_LEAVES:
                unmapped[path] += 1
                continue
            table, column = V2_LEAVES[path].split(".")
            if _norm(value) not in landed[record_id, table, column]:
                lost[path, record_id] += 1
    assert not unmapped, f"results paths no table holds (map them, or list them with a reason): {unmapped}"
    assert not lost, f"values that did not land: {list(lost)[:10]}"
    assert len({path for doc in v2.values() for path, _ in _leaves(doc.get("resultsSection") or {})}) > 100


def test_the_leaf_maps_name_real_columns(shared):
    con = shared[0]
    columns = {f"{t}.{c}" for t, c in con.execute("select table_name, column_name from information_schema.columns "
                                                  "where table_schema = 'main'").fetchall()}
    assert set(V2_LEAVES.values()) | {t for targets, _ in XML_LEAVES.values() for t in targets} <= columns


def _xml(mapping, exact=True):
    """{xml path: ((table.column, ...), exact)}: a value lands in one of the columns; `exact` checks the
    value itself, else only that the record has a value there (for values the conversion recodes:
    `Mean` -> MEAN, `Yes` -> true)."""
    return {path: ((target,) if isinstance(target, str) else target, exact) for path, target in mapping.items()}


def _xml_groups(prefix):
    return _xml({f"{prefix}/group_list/group/@group_id": "result_groups.result_group_id",
                 f"{prefix}/group_list/group/title": "result_groups.title",
                 f"{prefix}/group_list/group/description": "result_groups.description"})


def _xml_participants(prefix, table, comment):
    return _xml({f"{prefix}/participants_list/participants": f"{table}.{comment}",
                 f"{prefix}/participants_list/participants/@group_id": f"{table}.result_group_id",
                 f"{prefix}/participants_list/participants/@count": f"{table}.count"})


def _xml_analyzed(prefix, group, units, count):
    return _xml({f"{prefix}/analyzed_list/analyzed/units": units,
                 f"{prefix}/analyzed_list/analyzed/count_list/count/@group_id": group,
                 f"{prefix}/analyzed_list/analyzed/count_list/count/@value": count})


def _xml_values(prefix, table, counts=None):
    """The measurements of a category; `counts` names where an old `Number of Participants` measure's
    values go (its measurements are participant counts, not results)."""
    also = (counts,) if counts else ()
    return {
        **_xml({f"{prefix}/measurement_list/measurement": f"{table}.explanation_of_na",
                f"{prefix}/measurement_list/measurement/@spread": f"{table}.dispersion_value",
                f"{prefix}/measurement_list/measurement/@lower_limit": f"{table}.dispersion_lower_limit_raw",
                f"{prefix}/measurement_list/measurement/@upper_limit": f"{table}.dispersion_upper_limit_raw",
                f"{prefix}/title": f"{table}.category", f"{prefix}/sub_title": f"{table}.category"}),
        **_xml({f"{prefix}/measurement_list/measurement/@group_id": (f"{table}.result_group_id",
                                                                     *(c.replace(".count", ".result_group_id") for c in also)),
                f"{prefix}/measurement_list/measurement/@value": (f"{table}.param_value", *also)}),
    }


_B = "baseline/measure_list/measure"
_O = "outcome_list/outcome"
_RE = "reported_events"
# Every element and attribute under a legacy `<clinical_results>` -> the columns its values land in.
XML_LEAVES = {
    **_xml({"participant_flow/recruitment_details": "participant_flows.recruitment_details",
            "participant_flow/pre_assignment_details": "participant_flows.pre_assignment_details",
            "participant_flow/period_list/period/title": ("milestones.period", "drop_withdrawals.period"),
            "participant_flow/period_list/period/milestone_list/milestone/title": "milestones.title",
            "participant_flow/period_list/period/drop_withdraw_reason_list/drop_withdraw_reason/title":
                "drop_withdrawals.reason"}),
    **_xml_groups("participant_flow"),
    **_xml_participants("participant_flow/period_list/period/milestone_list/milestone", "milestones", "description"),
    **_xml_participants("participant_flow/period_list/period/drop_withdraw_reason_list/drop_withdraw_reason",
                        "drop_withdrawals", "reason_comment"),
    **_xml({"baseline/population": "baseline_counts.population_description"}),
    **_xml_groups("baseline"),
    **_xml_analyzed("baseline", "baseline_counts.result_group_id", "baseline_counts.units", "baseline_counts.count"),
    **_xml({f"{_B}/description": "baseline_measurements.description",
            f"{_B}/population": "baseline_measurements.population_description",
            f"{_B}/class_list/class/title": "baseline_measurements.classification"}),
    **_xml({f"{_B}/title": "baseline_measurements.title", f"{_B}/units": "baseline_measurements.units",
            f"{_B}/param": "baseline_measurements.param_type", f"{_B}/dispersion": "baseline_measurements.dispersion_type",
            }, exact=False),
    **_xml({f"{_B}/units_analyzed": "baseline_measurements.denom_units_selected"}),
    **_xml_analyzed(_B, "baseline_counts.result_group_id", "baseline_counts.units", "baseline_counts.count"),
    **_xml_analyzed(f"{_B}/class_list/class", "baseline_counts.result_group_id", "baseline_counts.units",
                    "baseline_counts.count"),
    **_xml_values(f"{_B}/class_list/class/category_list/category", "baseline_measurements"),
    **_xml_values(f"{_B}/category_list/category", "baseline_measurements", counts="baseline_counts.count"),
    **_xml({f"{_O}/title": "result_outcomes.title", f"{_O}/description": "result_outcomes.description",
            f"{_O}/time_frame": "result_outcomes.time_frame", f"{_O}/population": "result_outcomes.population",
            f"{_O}/measure/title": "result_outcomes.title", f"{_O}/measure/description": "result_outcomes.description",
            f"{_O}/measure/population": "result_outcomes.population", f"{_O}/measure/units": "result_outcomes.units",
            f"{_O}/measure/dispersion": "result_outcomes.dispersion_type",
            f"{_O}/measure/units_analyzed": "result_outcomes.units_analyzed",
            f"{_O}/measure/class_list/class/title": "outcome_measurements.classification",
            f"{_O}/measure_list/measure/description": "result_outcomes.description",
            f"{_O}/measure_list/measure/dispersion": "result_outcomes.dispersion_type"}),
    **_xml({f"{_O}/type": "result_outcomes.outcome_type", f"{_O}/posting_date": "result_outcomes.anticipated_posting_date",
            f"{_O}/measure/param": "result_outcomes.param_type", f"{_O}/measure_list/measure/title": "result_outcomes.title",
            # an old `Number of Participants` measure is the count analyzed: its units and `Number` say so
            f"{_O}/measure_list/measure/param": ("result_outcomes.param_type", "outcome_counts.count"),
            f"{_O}/measure_list/measure/units": ("result_outcomes.units", "outcome_counts.units")}, exact=False),
    **_xml_groups(_O),
    **_xml_analyzed(f"{_O}/measure", "outcome_counts.result_group_id", "outcome_counts.units", "outcome_counts.count"),
    **_xml_analyzed(f"{_O}/measure/class_list/class", "outcome_counts.result_group_id", "outcome_counts.units",
                    "outcome_counts.count"),
    **_xml_values(f"{_O}/measure/class_list/class/category_list/category", "outcome_measurements"),
    **_xml_values(f"{_O}/measure_list/measure/category_list/category", "outcome_measurements",
                  counts="outcome_counts.count"),
    **_xml({f"{_O}/analysis_list/analysis/{element}": f"outcome_analyses.{column}" for element, column in {
        "group_id_list/group_id": "group_ids", "groups_desc": "groups_description",
        "non_inferiority_desc": "non_inferiority_description", "p_value": "p_value_raw",
        "p_value_desc": "p_value_description", "method": "method", "method_desc": "method_description",
        "param_type": "param_type", "param_value": "param_value_raw", "dispersion_value": "dispersion_value_raw",
        "ci_percent": "ci_percent", "ci_lower_limit": "ci_lower_limit_raw", "ci_upper_limit": "ci_upper_limit_raw",
        "ci_lower_limit_na_comment": "ci_lower_limit_na_comment", "ci_upper_limit_na_comment": "ci_upper_limit_na_comment",
        "estimate_desc": "estimate_description", "other_analysis_desc": "other_analysis_description"}.items()}),
    **_xml({f"{_O}/analysis_list/analysis/{element}": f"outcome_analyses.{column}" for element, column in {
        "non_inferiority": "tested_non_inferiority", "non_inferiority_type": "non_inferiority_type",
        "dispersion_type": "dispersion_type", "ci_n_sides": "ci_n_sides"}.items()}, exact=False),
    **_xml({f"{_RE}/time_frame": "reported_event_totals.time_frame", f"{_RE}/desc": "reported_event_totals.description"}),
    **_xml_groups(_RE),
    **{key: value for kind in ("serious_events", "other_events") for key, value in {
        **_xml({f"{_RE}/{kind}/frequency_threshold": "reported_event_totals.frequency_threshold",
                f"{_RE}/{kind}/category_list/category/event_list/event/sub_title/@vocab": "reported_events.vocab",
                f"{_RE}/{kind}/category_list/category/event_list/event/description": "reported_events.notes",
                f"{_RE}/{kind}/category_list/category/event_list/event/counts/@events": "reported_events.event_count",
                f"{_RE}/{kind}/category_list/category/event_list/event/counts/@group_id":
                    ("reported_events.result_group_id", "reported_event_totals.result_group_id"),
                f"{_RE}/{kind}/category_list/category/event_list/event/counts/@subjects_affected":
                    ("reported_events.subjects_affected", "reported_event_totals.subjects_affected"),
                f"{_RE}/{kind}/category_list/category/event_list/event/counts/@subjects_at_risk":
                    ("reported_events.subjects_at_risk", "reported_event_totals.subjects_at_risk")}),
        # The `Total` category and its `Total, ...` events become the totals (their event type), and
        # the list's default vocabulary and assessment fill in each event's.
        **_xml({f"{_RE}/{kind}/category_list/category/title": ("reported_events.organ_system",
                                                               "reported_event_totals.event_type"),
                f"{_RE}/{kind}/category_list/category/event_list/event/sub_title":
                    ("reported_events.adverse_event_term", "reported_event_totals.event_type"),
                f"{_RE}/{kind}/category_list/category/event_list/event/assessment": "reported_events.assessment",
                f"{_RE}/{kind}/default_vocab": "reported_events.vocab",
                f"{_RE}/{kind}/default_assessment": "reported_events.assessment"}, exact=False)}.items()},
    **_xml({"certain_agreements/pi_employee": "result_agreements.pi_employee",
            "certain_agreements/restrictive_agreement": ("result_agreements.restrictive_agreement",
                                                         "result_agreements.other_details")}, exact=False),
    **_xml({"point_of_contact/name_or_title": "result_contacts.name",
            "point_of_contact/organization": "result_contacts.organization",
            "point_of_contact/phone": "result_contacts.phone", "point_of_contact/phone_ext": "result_contacts.extension",
            "point_of_contact/email": "result_contacts.email"}),
}
# Legacy elements left out of the results tables on purpose, with the reason.
XML_LEFT_OUT = {
    "baseline/analyzed_list/analyzed/scope": "always `Overall`: the list's place says it (baseline_counts)",
    f"{_B}/class_list/class/analyzed_list/analyzed/scope": "always `Class`: the list's place says it",
    f"{_B}/analyzed_list/analyzed/scope": "always `Measure`: the list's place says it",
    f"{_O}/measure/analyzed_list/analyzed/scope": "always `Measure`: outcome_counts.scope says it",
    f"{_O}/measure/class_list/class/analyzed_list/analyzed/scope": "always `Class`: outcome_counts.scope says it",
    f"{_O}/safety_issue": "retired by the registry in 2017 and absent from API v2; the same flag is in the "
                          "protocol's outcome list (`primary_outcome/safety_issue`, the record branch's part)",
    "limitations_and_caveats": "one text per trial, not per result: `trials.limitations_and_caveats` holds it "
                               "(the record branch), from moreInfoModule.limitationsAndCaveats",
}


def _xml_leaves(element, path=""):
    """(path, value) of every attribute and every element with text under <clinical_results>."""
    for name, value in element.attrib.items():
        yield f"{path}/@{name}", value
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and path and (element.text or "").strip():
        yield path, element.text
    for child in children:
        yield from _xml_leaves(child, f"{path}/{child.tag}" if path else child.tag)


def test_every_legacy_results_element_lands_in_a_column(shared, landed):
    _, _, legacy = shared
    unmapped, lost = Counter(), Counter()
    for record_id, (_, results) in legacy.items():
        if results is None:
            continue
        for path, value in _xml_leaves(results):
            if path in XML_LEFT_OUT:
                continue
            if path not in XML_LEAVES:
                unmapped[path] += 1
                continue
            targets, exact = XML_LEAVES[path]
            found = set().union(*(landed[record_id, *t.split(".")] for t in targets))
            if (_norm(value) not in found) if exact else not found:
                lost[path, record_id] += 1
    assert not unmapped, f"legacy results elements no table holds (map them, or list them with a reason): {unmapped}"
    assert not lost, f"values that did not land: {list(lost)[:10]}"


def test_every_results_table_and_column_is_described(shared):
    from trials.warehouse.columns import describe
    from trials.warehouse.dictionary import table_description
    rows = shared[0].execute("select table_name, column_name from information_schema.columns "
                             "where table_schema = 'main' and table_name <> 'documents'").fetchall()
    assert {t for t, _ in rows} == set(RESULTS_TABLES)
    assert [(t, c) for t, c in rows if not describe(t, c)] == []
    assert [t for t in RESULTS_TABLES if not table_description(t)] == []
