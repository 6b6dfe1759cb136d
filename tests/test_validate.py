"""Field validation: implausible values are kept raw and flagged; values that do not fit the schema are
quarantined; the warehouse's accepted-values assertion lets flagged rows through and no others."""
import datetime as dt
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import query, run_trials
from schema_fit import conform
from trials.etl.record import ParseError
from trials.etl.batch import parse_batch
from trials.etl.parsers import parse_record

FETCHED = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)


def parse_ctgov(body):
    return parse_record("ctgov_api", body)


def edited_study(raw, edit):
    study = json.loads(raw)
    edit(study["protocolSection"])
    return study


def validation_flags(body):
    """The flags the store gives a record fetched at FETCHED."""
    [flags] = parse_batch([("ctgov_bulk", "u", FETCHED, body)], "r", 1).tables["trials"]["validation_flags"].to_pylist()
    return flags


def test_real_records_carry_no_flags(sample_studies):
    batch = parse_batch([("ctgov_bulk", "u", FETCHED, raw) for raw in sample_studies.values()], "r", 1)
    assert batch.tables["trials"]["validation_flags"].to_pylist() == [[]] * len(sample_studies)
    for raw in sample_studies.values():
        conform(parse_ctgov(raw))


@pytest.mark.parametrize("edit, flags", [
    (lambda p: p["statusModule"].update(studyFirstPostDateStruct={"date": "2026-12-01"}), ["future_date:first_posted"]),
    (lambda p: p["statusModule"].update(completionDateStruct={"date": "2046-12"}), ["future_date:completion_date"]),
    (lambda p: p["statusModule"].update(completionDateStruct={"date": "2045-12"}), []),  # 19 years on: plausible
    (lambda p: p["designModule"].update(enrollmentInfo={"count": -1}), ["negative:enrollment"]),
    (lambda p: p["designModule"].update(enrollmentInfo={"count": 0}), []),
    (lambda p: p["eligibilityModule"].update(minimumAge="65 Years", maximumAge="6 Months"), ["age_range:minimum_age_years"]),
    (lambda p: p["designModule"].update(phases=["PHASE2", "PHASE5"]), ["unknown_value:phases"]),
    (lambda p: p["sponsorCollaboratorsModule"]["leadSponsor"].update({"class": "PHARMA"}),
     ["unknown_value:lead_sponsor_class", "unknown_value:sponsors.agency_class"]),
])
def test_implausible_values_are_flagged_and_kept(sample_studies, edit, flags):
    raw = next(r for r in sample_studies.values() if b'"minimumAge"' in r and b'"maximumAge"' in r)
    body = json.dumps(edited_study(raw, edit)).encode()
    assert validation_flags(body) == flags
    original, edited = parse_ctgov(raw)["trials"][0], parse_ctgov(body)["trials"][0]
    changed = {column for column in original if original[column] != edited[column]}
    assert changed and changed <= {"first_posted", "completion_date", "completion_date_precision", "enrollment",
                       "minimum_age_years", "maximum_age_years", "phase", "phases", "lead_sponsor_class"}


def test_a_country_without_an_iso_code_is_flagged_and_kept(sample_studies):
    raw = next(r for r in sample_studies.values() if b'"locations"' in r)
    body = json.dumps(edited_study(raw, lambda p: p["contactsLocationsModule"]["locations"][0]
                                   .update(country="Atlantis"))).encode()
    assert validation_flags(body) == ["unknown_value:sites.country"]
    site = parse_ctgov(body)["sites"][0]
    assert (site["country"], site["country_code"]) == ("Atlantis", None)


@pytest.mark.parametrize("edit, reason", [
    (lambda p: p["designModule"].update(enrollmentInfo={"count": "12"}),
     "enrollmentInfo/count: a string where the schema has a number"),
    (lambda p: p["designModule"].update(enrollmentInfo={"count": 2 ** 70}), "does not fit the schema"),
    (lambda p: p["identificationModule"].update(briefTitle="\ud800 lone surrogate"), "surrogate"),
    (lambda p: p["designModule"].update(phases=["PHASE1", 2]), "phases/[]: a number where the schema has a string"),
])
def test_values_that_do_not_fit_the_schema_are_quarantined(sample_studies, edit, reason):
    raw = next(iter(sample_studies.values()))
    body = json.dumps(edited_study(raw, edit)).encode()
    batch = parse_batch([("ctgov_bulk", "u", FETCHED, body), ("ctgov_bulk", "u", FETCHED, raw)], "r", 1)
    assert len(batch.trials) == 1 and batch.trials[0][0] == "r/2"  # its neighbour is kept
    [quarantined] = batch.quarantine
    assert reason in quarantined["reason"] and quarantined["payload"] == body


@pytest.mark.parametrize("column, value, reason", [
    ("enrollment", "12", "trials.enrollment: '12' does not fit int64"),
    ("enrollment", 2 ** 70, "does not fit int64"),
    ("brief_title", "\ud800 lone surrogate", "trials.brief_title"),
    ("phases", ["PHASE1", 2], "trials.phases"),
    ("has_results", "yes", "trials.has_results"),
])
def test_the_tests_schema_oracle_refuses_what_does_not_fit(sample_studies, column, value, reason):
    """`conform` (tests/schema_fit.py), which the fuzz tests hold every parsed record to, is no rubber stamp."""
    record = parse_ctgov(next(iter(sample_studies.values())))
    record["trials"][0][column] = value
    with pytest.raises(ParseError, match=reason.replace("(", r"\(")):
        conform(record)


def add_run_with_unknown_status(data, flags):
    """A run holding a later version of one trial, its overall_status ON_HOLD, with the given flags."""
    template, = [p for p in (data / "runs").iterdir()]
    run = data / "runs" / (template.name + "-extra")
    run.mkdir()
    trial = pq.read_table(template / "trials.parquet").slice(0, 1).to_pylist()[0]
    record_id = f"{run.name}/1"
    files = {}
    for path in template.glob("*.parquet"):
        rows = [{**row, "record_id": record_id} for row in pq.read_table(path).to_pylist()
                if row.get("record_id") == trial["record_id"]]
        if path.stem == "trials":
            later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)  # the latest version of the trial
            rows[0].update(overall_status="ON_HOLD", validation_flags=flags, fetched_at=later)
        if rows:
            pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path)), run / path.name)
            files[path.name] = len(rows)
    manifest = json.loads((template / "manifest.json").read_text())
    (run / "manifest.json").write_text(json.dumps({**manifest, "run_id": run.name, "files": files}))
    return trial["nct_id"]


def test_accepted_values_lets_flagged_rows_through_only(tmp_path, crawled_sample):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    warehouse = (data / "trials.warehouse.duckdb").read_bytes()
    add_run_with_unknown_status(data, [])
    failed = run_trials("build", "--data", data, check=False)
    assert failed.returncode == 1
    assert "accepted_values: [('overall_status', 'ON_HOLD', 1)]" in failed.stderr
    assert (data / "trials.warehouse.duckdb").read_bytes() == warehouse
    shutil.rmtree(next(p for p in (data / "runs").iterdir() if p.name.endswith("-extra")))
    nct_id = add_run_with_unknown_status(data, ["unknown_value:overall_status"])
    run_trials("build", "--data", data)
    assert query(data, "select overall_status, validation_flags from trials where nct_id = ?", [nct_id]) == \
        [("ON_HOLD", ["unknown_value:overall_status"])]


def test_a_batch_flags_each_record_as_it_flags_it_alone(sample_studies):
    """parse_batch flags a batch's records column-wise; each gets the flags it gets alone."""
    bodies = list(sample_studies.values())[:20]
    bodies[7] = json.dumps(edited_study(bodies[7], lambda p: p["designModule"].update(phases=["PHASE5"]))).encode()
    bodies[9] = json.dumps(edited_study(bodies[9], lambda p: p["designModule"].update(enrollmentInfo={"count": -2}))).encode()
    stored = parse_batch([("ctgov_bulk", "u", FETCHED, body) for body in bodies], "r", 1).tables["trials"]
    assert stored["validation_flags"].to_pylist() == [validation_flags(body) for body in bodies]
    assert stored["validation_flags"][7].as_py() == ["unknown_value:phases"]
    assert stored["validation_flags"][9].as_py() == ["negative:enrollment"]
    assert stored["validation_flags"].to_pylist().count([]) == len(bodies) - 2
