"""Scheduled runs against the local API: incremental, idempotent, resumable after SIGKILL, exclusive,
with a history of versions and changes."""
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

from urllib.parse import urlencode

import pyarrow.parquet as pq

from conftest import REPO, query, run_trials
from trials.etl.runs import SINCE_OVERLAP, covered_until
from trials.etl.vocab import parse_date
from trials.api_server import serve


def _status(study):
    return study["protocolSection"]["statusModule"]


def _edited(body, edit, today):
    """A study as the registry serves it after an update: edited and posted today."""
    study = json.loads(body)
    edit(study)
    _status(study)["lastUpdatePostDateStruct"] = {"date": today.isoformat(), "type": "ACTUAL"}
    return json.dumps(study).encode()


def _first(studies, predicate, taken):
    nct_id = next(i for i in sorted(studies) if i not in taken and predicate(json.loads(studies[i])))
    taken.add(nct_id)
    return nct_id


def _manifest(data, run_id):
    return json.loads((data / "runs" / run_id / "manifest.json").read_text())


def _crawl(data, api, *args):
    out = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0", *args)
    return out.stdout.split()[1]  # "run <run_id> (ctgov): ..."


def test_three_runs_keep_every_version_and_the_changes(tmp_path, sample_studies):
    data = tmp_path / "data"
    today = dt.datetime.now(dt.timezone.utc).date()
    taken = set()
    terminated = _first(sample_studies, lambda s: _status(s)["overallStatus"] == "RECRUITING", taken)
    slipped = _first(sample_studies, lambda s: {"primaryCompletionDateStruct", "completionDateStruct"}
                     <= _status(s).keys(), taken)
    site_added = _first(sample_studies, lambda s: s["protocolSection"].get("contactsLocationsModule", {})
                        .get("locations"), taken)
    withdrawn = _first(sample_studies, lambda s: _status(s)["overallStatus"] == "NOT_YET_RECRUITING"
                       and s["protocolSection"]["designModule"].get("enrollmentInfo", {}).get("count"), taken)
    removed = _first(sample_studies, lambda s: True, taken)

    def terminate(study):
        _status(study).update(overallStatus="TERMINATED", whyStopped="Sponsor decision")

    def slip(study):
        _status(study)["primaryCompletionDateStruct"]["date"] = "2031-01-15"
        _status(study)["completionDateStruct"]["date"] = "2031-06-30"

    def add_site(study):
        study["protocolSection"]["contactsLocationsModule"]["locations"].append(
            {"facility": "Hospital Clinic de Barcelona", "city": "Barcelona", "country": "Spain"})

    def withdraw(study):  # what the registry does: status WITHDRAWN, actual enrollment 0, record kept
        _status(study).update(overallStatus="WITHDRAWN", whyStopped="No participants enrolled")
        study["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 0, "type": "ACTUAL"}

    with serve(sample_studies) as api:
        run1 = _crawl(data, api, "--since", "auto")
        edits = {terminated: terminate, slipped: slip, site_added: add_site, withdrawn: withdraw}
        api.studies.update({i: _edited(api.studies[i], edit, today) for i, edit in edits.items()})
        del api.studies[removed]  # gone from the source: stays in history as it was last seen
        run2 = _crawl(data, api, "--since", "auto")
        run3 = _crawl(data, api, "--since", "auto")
        requests = [path for path, _ in api.requests]

    m1, m2, m3 = (_manifest(data, r) for r in (run1, run2, run3))
    started = dt.datetime.fromisoformat(m1["started_at"]).date()
    assert m1["since"] is None and m1["counts"]["new"] == len(sample_studies) == 300
    assert m2["since"] == (started - SINCE_OVERLAP).isoformat()
    assert urlencode({"filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{m2['since']},MAX]"}) in requests[-1]
    assert m2["counts"] == {"fetched": 4, "new": 0, "changed": 4, "unchanged": 0, "quarantined": 0,
                          "flagged": 0, "fetch_errors": 0}
    # Run 3: nothing changed, the overlap fetches the four again, and nothing is stored.
    assert m3["counts"] == {"fetched": 4, "new": 0, "changed": 0, "unchanged": 4, "quarantined": 0,
                          "flagged": 0, "fetch_errors": 0}
    assert sorted(p.name for p in (data / "runs" / run3).iterdir()) == ["manifest.json"]

    run_trials("build", "--data", data)
    assert query(data, "select count(*), count(*) filter (where is_current) from trial_versions") == [(304, 300)]
    assert query(data, "select nct_id, count(*) from trial_versions group by all having count(*) > 1 order by 1") \
        == sorted((i, 2) for i in edits)
    assert query(data, "select version, valid_from, valid_to, is_current from trial_versions "
                       "where nct_id = ? order by version", [terminated]) \
        == [(1, parse_date(json.loads(sample_studies[terminated])["protocolSection"]["statusModule"]
                           ["lastUpdatePostDateStruct"]["date"])[0], today, False), (2, today, None, True)]

    old = {i: _status(json.loads(sample_studies[i])) for i in edits}
    sites = len(json.loads(sample_studies[site_added])["protocolSection"]["contactsLocationsModule"]["locations"])
    enrollment = json.loads(sample_studies[withdrawn])["protocolSection"]["designModule"]["enrollmentInfo"]["count"]
    old_primary = parse_date(old[slipped]["primaryCompletionDateStruct"]["date"])[0]
    old_completion = parse_date(old[slipped]["completionDateStruct"]["date"])[0]
    expected = sorted([
        (terminated, "overall_status", "RECRUITING", "TERMINATED", None),
        (slipped, "primary_completion_date", str(old_primary), "2031-01-15",
         (dt.date(2031, 1, 15) - old_primary).days),
        (slipped, "completion_date", str(old_completion), "2031-06-30", (dt.date(2031, 6, 30) - old_completion).days),
        (site_added, "number_of_sites", str(sites), str(sites + 1), None),
        (withdrawn, "overall_status", "NOT_YET_RECRUITING", "WITHDRAWN", None),
        (withdrawn, "enrollment", str(enrollment), "0", None),
    ])
    assert query(data, "select nct_id, field, old_value, new_value, slip_days from trial_changes order by all") \
        == expected
    assert query(data, "select distinct changed_at from trial_changes") == [(today,)]

    # Removed at the source: kept as last seen; withdrawn: kept, with its new status.
    assert query(data, "select count(*) from trials") == [(300,)]
    assert query(data, "select overall_status from trials where nct_id = ?", [withdrawn]) == [("WITHDRAWN",)]
    assert query(data, "select version, is_current from trial_versions where nct_id = ?", [removed]) == [(1, True)]

    assert query(data, "select from_status, to_status, sum(transitions) from mart_status_transitions "
                       "group by all order by all") == [("NOT_YET_RECRUITING", "WITHDRAWN", 1),
                                                        ("RECRUITING", "TERMINATED", 1)]
    assert query(data, "select date_field, changes, delays, total_slip_days from mart_completion_slippage "
                       "order by 1") == sorted((f, 1, 1, slip) for _, f, _, _, slip in expected if slip)

    listing = run_trials("runs", "--data", data).stdout.splitlines()
    assert [line.split()[:3] for line in listing[1:]] == [
        [run1, "ctgov", "full"], [run2, "ctgov", m2["since"]], [run3, "ctgov", m2["since"]]]


def _wait_for_checkpoint(data, crawl, records):
    """The checkpoint of the running crawl once it has made `records` records durable."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and crawl.poll() is None:
        for path in (data / "runs").glob("*/checkpoint.json"):
            try:
                checkpoint = json.loads(path.read_text())
            except (OSError, ValueError):  # replaced while we read it
                continue
            if checkpoint["manifest"]["counts"]["fetched"] >= records:
                return checkpoint
        time.sleep(0.05)
    raise AssertionError(f"the crawl made no checkpoint of {records} records (exit {crawl.poll()})")


def test_killed_crawl_leaves_nothing_to_build_and_resumes_without_duplicates(tmp_path, sample_studies,
                                                                             crawled_sample):
    data = tmp_path / "data"
    data.mkdir()
    with serve(sample_studies, max_page_size=5, page_delay=0.2) as api:  # 60 slow pages
        crawl = subprocess.Popen([sys.executable, "-m", "trials", "crawl", "ctgov", "--base-url", api.base_url,
                                  "--data", data, "--delay", "0"], cwd=REPO)
        try:
            running = _wait_for_checkpoint(data, crawl, 25)["manifest"]["run_id"]
            second = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, check=False)
            assert second.returncode == 1
            assert second.stderr.strip().splitlines()[-1] == (
                f"trials: another run is writing to {data} (pid {crawl.pid}, run "
                f"{running}); try again when it ends")
        finally:
            os.kill(crawl.pid, signal.SIGKILL)
            crawl.wait()
        run_id = running
        run_dir = data / "runs" / run_id
        assert not (run_dir / "manifest.json").exists()
        checkpoint = json.loads((run_dir / "checkpoint.json").read_text())
        assert 25 <= checkpoint["manifest"]["counts"]["fetched"] < 300
        assert (data / "run.lock").read_text().startswith(f"pid {crawl.pid}")  # the killed holder
        # A run killed before its first checkpoint: nothing to resume, removed by the next commit.
        stale = data / "runs" / "20000101T000000Z-dead00"
        stale.mkdir()
        (stale / "trials.part-00000.parquet.tmp").write_bytes(b"PAR1 half a row group")

        run_trials("build", "--data", data)
        assert query(data, "select (select count(*) from trials), (select count(*) from sites), "
                           "(select count(*) from trial_versions), (select count(*) from runs)") == [(0, 0, 0, 0)]
        status = {line.split()[0]: line for line in run_trials("runs", "--data", data).stdout.splitlines()[1:]}
        assert status[run_id].endswith("interrupted (--resume continues it)")
        assert "no checkpoint" in status[stale.name]

        api.page_delay = 0
        before = len(api.requests)
        resumed = run_trials("crawl", "ctgov", "--resume", "--data", data, "--delay", "0")
        first_page = next(path for path, _ in api.requests[before:] if path.startswith("/api/v2/studies?"))

    final = json.loads((data / "runs" / run_id / "manifest.json").read_text())
    assert resumed.stdout.startswith(f"resuming run {run_id} after ")
    # It went on from the page after its checkpoint, not from the first page.
    assert urlencode({"pageToken": checkpoint["state"]["page_token"]}) in first_page
    assert final["counts"] == {"fetched": 300, "new": 300, "changed": 0, "unchanged": 0, "quarantined": 0,
                          "flagged": 0, "fetch_errors": 0}
    assert len(final["resumed_at"]) == 1
    assert sorted(p.name for p in (data / "runs").iterdir()) == [run_id]  # the stale run is gone
    assert pq.read_table(data / "runs" / run_id / "trials.parquet").num_rows == 300

    run_trials("build", "--data", data)
    assert [r[0] for r in query(data, "select nct_id from trials order by 1")] == sorted(sample_studies)
    counts = "select " + ", ".join(f"(select count(*) from {t})" for t in (
        "trial_versions", "sites", "conditions", "interventions", "outcomes", "sponsors", "keywords"))
    assert query(data, counts) == query(crawled_sample, counts)


def test_auto_since_follows_only_unbroken_coverage():
    def run(since, started):
        return {"since": since, "started_at": f"{started}T03:30:00+00:00"}

    # An incremental run with nothing before it covers nothing: the next auto run is a full crawl.
    assert covered_until([run("2026-11-01", "2026-11-20")]) is None
    # Full, then incremental runs whose since falls within what was covered: coverage moves on.
    assert covered_until([run(None, "2026-11-01"), run("2026-10-30", "2026-11-02"),
                          run("2026-10-31", "2026-11-03")]) == dt.date(2026, 11, 3)
    # An incremental run that leaves a gap does not extend it.
    assert covered_until([run(None, "2026-11-01"), run("2026-11-10", "2026-11-12")]) == dt.date(2026, 11, 1)
