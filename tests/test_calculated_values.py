"""calculated_values: each fact recomputed here from the raw v2 records, as of the run's as-of date."""
import datetime as dt
import json

import pytest

from conftest import query, run_trials
from trials.etl.bulk import import_path
from trials.samples import CTGOV_V2_SAMPLE
from trials.warehouse.build import build

AS_OF = dt.date(2024, 6, 30)
OPEN = {"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING"}


def day(text):
    """A registry date (YYYY-MM or YYYY-MM-DD) as the parser reads it: a month is its first day."""
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01") if text else None


def months(later, earlier):
    """AACT's months between two dates: days / 30, truncated toward zero; null when either is missing."""
    return int((later - earlier).days / 30) if later and earlier else None


def actual(struct, finished):
    """A date that counts as actual: typed ACTUAL, or untyped in a completed or terminated trial."""
    date = day(struct.get("date"))
    return date if struct.get("type") == "ACTUAL" or ("type" not in struct and finished) else None


def subjects(events):
    """AACT's participants in adverse events: numAffected summed over terms and groups; null without events."""
    return sum(s.get("numAffected") or 0 for e in events for s in e.get("stats", [])) if events else None


def expected_facts(study):
    p = study["protocolSection"]
    status = p["statusModule"]
    overall = status.get("overallStatus")
    completion = day(status.get("primaryCompletionDateStruct", {}).get("date"))
    verified = day(status.get("statusVerifiedDate"))
    results = study.get("resultsSection", {})
    reported = [o.get("type") for o in results.get("outcomeMeasuresModule", {}).get("outcomeMeasures", [])]
    events = results.get("adverseEventsModule", {})
    finished = overall in ("COMPLETED", "TERMINATED") and completion is not None and completion < AS_OF
    start_actual, completion_actual = actual(status.get("startDateStruct", {}), finished), \
        actual(status.get("primaryCompletionDateStruct", {}), finished)
    sites = p.get("contactsLocationsModule", {}).get("locations", [])
    outcomes = p.get("outcomesModule", {})
    interventional = p.get("designModule", {}).get("studyType") == "INTERVENTIONAL"
    due = completion.replace(year=completion.year + 1) if completion and interventional and overall != "WITHDRAWN" \
        else None
    has_results = bool(study.get("hasResults"))
    return {
        "number_of_sites": len(sites),
        "has_us_facility": any(s.get("country") == "United States" for s in sites),
        "has_single_facility": len(sites) == 1,
        "registered_in_calendar_year": day(status["studyFirstPostDateStruct"]["date"]).year,
        "number_of_primary_outcomes_to_measure": len(outcomes.get("primaryOutcomes", [])),
        "number_of_secondary_outcomes_to_measure": len(outcomes.get("secondaryOutcomes", [])),
        "were_results_reported": has_results,
        "is_overdue": overall in OPEN and completion is not None and completion < AS_OF,
        "is_stale": overall == "UNKNOWN" or (overall in OPEN and verified is not None
                                             and verified < AS_OF.replace(year=AS_OF.year - 2)),
        "actual_duration": months(completion_actual, start_actual),
        "months_to_report_results": months(day(status.get("resultsFirstSubmitDate")), completion),
        "number_of_primary_outcomes_reported": reported.count("PRIMARY") if reported else None,
        "number_of_secondary_outcomes_reported": reported.count("SECONDARY") if reported else None,
        "number_of_other_outcomes_reported": reported.count("OTHER_PRE_SPECIFIED") if reported else None,
        "number_of_post_hoc_outcomes_reported": reported.count("POST_HOC") if reported else None,
        "number_of_sae_subjects": subjects(events.get("seriousEvents")),
        "number_of_nsae_subjects": subjects(events.get("otherEvents")),
        "effectively_recruiting": overall in ("RECRUITING", "ENROLLING_BY_INVITATION")
                                  and not (completion is not None and completion < AS_OF),
        "results_due_date": due,
        "results_overdue": due is not None and due < AS_OF and not has_results,
    }


@pytest.fixture(scope="module")
def as_of_warehouse(tmp_path_factory):
    data = tmp_path_factory.mktemp("as-of")
    run_trials("import", CTGOV_V2_SAMPLE, "--as-of", AS_OF, "--data", data)
    run_trials("build", "--data", data)
    return data


def test_every_trial_has_one_row_with_the_facts_of_its_record(as_of_warehouse, sample_studies):
    columns = list(expected_facts(json.loads(next(iter(sample_studies.values())))))
    rows = query(as_of_warehouse, f"select nct_id, as_of_date, {', '.join(columns)} from calculated_values")
    assert len(rows) == len(sample_studies) == 300
    got = {nct_id: dict(zip(columns, values)) for nct_id, as_of, *values in rows}
    assert {as_of for _, as_of, *_ in rows} == {AS_OF}
    expected = {nct_id: expected_facts(json.loads(body)) for nct_id, body in sample_studies.items()}
    for nct_id in expected:
        assert got[nct_id] == expected[nct_id], nct_id
    # the sample holds each kind, so no column is trivially constant
    for column in ("is_overdue", "is_stale", "effectively_recruiting", "results_overdue", "has_us_facility"):
        assert {facts[column] for facts in expected.values()} == {True, False}, column
    # and each of the results' facts is given for some trials and missing for others
    for column in ("actual_duration", "months_to_report_results", "number_of_primary_outcomes_reported",
                   "number_of_sae_subjects", "number_of_nsae_subjects"):
        assert len({facts[column] for facts in expected.values()}) > 2, column
    # stale: UNKNOWN, and open trials whose status was last verified over two years before the as-of date
    stale_open = [n for n, f in expected.items() if f["is_stale"] and json.loads(sample_studies[n])[
        "protocolSection"]["statusModule"]["overallStatus"] != "UNKNOWN"]
    assert stale_open


def test_recruiting_per_country_counts_the_trials_status_not_the_sites(as_of_warehouse, sample_studies):
    expected = {}
    for body in sample_studies.values():
        study = json.loads(body)
        if not expected_facts(study)["effectively_recruiting"]:
            continue
        for site in study["protocolSection"].get("contactsLocationsModule", {}).get("locations", []):
            expected.setdefault(site.get("country"), set()).add(study["protocolSection"]["identificationModule"]["nctId"])
    got = dict(query(as_of_warehouse, "select country, recruiting_trials from mart_sites_by_country "
                                      "where recruiting_trials > 0"))
    assert got == {country: len(ids) for country, ids in expected.items() if country}
    site_says = query(as_of_warehouse, "select count(distinct nct_id) from sites where status = 'RECRUITING'")[0][0]
    assert site_says > sum(1 for b in sample_studies.values() if expected_facts(json.loads(b))["effectively_recruiting"])


def study_with(body, enrollment, kind, updated):
    study = json.loads(body)
    study["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": enrollment, "type": kind}
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": updated}
    return json.dumps(study).encode()


def test_enrollment_first_planned_against_actual_comes_from_the_history(tmp_path, sample_studies):
    nct_id, body = sorted(sample_studies.items())[0]
    folder = tmp_path / "v"
    data = tmp_path / "data"
    for enrollment, kind, updated in [(120, "ESTIMATED", "2020-01-01"), (150, "ESTIMATED", "2021-01-01"),
                                      (95, "ACTUAL", "2022-01-01")]:
        folder.mkdir(exist_ok=True)
        (folder / f"{nct_id}.json").write_bytes(study_with(body, enrollment, kind, updated))
        import_path(folder / f"{nct_id}.json", data)
    build(data)
    assert query(data, "select first_planned_enrollment, actual_enrollment, enrollment_change, as_of_date::varchar "
                       "from calculated_values") == [(120, 95, -25, "2022-01-01")]


def test_the_analyst_marts_add_up_to_the_trials(as_of_warehouse, sample_studies):
    studies = [json.loads(b) for b in sample_studies.values()]
    facts = [expected_facts(s) for s in studies]
    stopped = {s["protocolSection"]["identificationModule"]["nctId"]: s["protocolSection"]["statusModule"].get("whyStopped")
               for s in studies if s["protocolSection"]["statusModule"]["overallStatus"] in ("TERMINATED", "WITHDRAWN", "SUSPENDED")}
    assert dict(query(as_of_warehouse, "select nct_id, why_stopped from mart_terminations")) == stopped
    assert query(as_of_warehouse, "select sum(trials), sum(overdue_trials), sum(stale_trials), "
                                  "sum(results_overdue_trials) from mart_overdue_by_sponsor") == [(
        len(studies), sum(f["is_overdue"] for f in facts), sum(f["is_stale"] for f in facts),
        sum(f["results_overdue"] for f in facts))]
    due = [f for f in facts if f["results_due_date"] is not None]
    assert query(as_of_warehouse, "select sum(trials), sum(results_due), sum(results_reported), sum(results_overdue) "
                                  "from mart_results_reporting") == [(
        len(due), sum(f["results_due_date"] <= AS_OF for f in due),
        sum(f["results_due_date"] <= AS_OF and f["were_results_reported"] for f in due),
        sum(f["results_overdue"] for f in due))]
