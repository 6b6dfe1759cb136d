"""The real euctr spider crawls a local stand-in of the EU Clinical Trials Register serving the real
full-text records: every member state's record lands, once; runs are incremental and resumable."""
import json
import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from conftest import REPO, SHARED_DATA, query, run_trials
from trials.cli import main
from trials.crawler.spiders.euctr import EuctrSpider
from trials.euctr_server import serve

DOWNLOAD = SHARED_DATA / "registries" / "euctr" / "euctr-full-text-2-trials.txt"
TRIALS = {"2022-002568-62": {"ES", "SE"}, "2021-002179-21": {"FR", "ES", "GR", "PL", "PT", "HU"}}


@pytest.fixture
def register():
    with serve(DOWNLOAD.read_bytes()) as server:
        yield server


def registrations(data):
    return {trial_id for (trial_id,) in query(data, "select trial_id from registry_trials where source = 'euctr_text'")}


def test_a_query_then_ids_crawl_every_country_record_once(tmp_path, register):
    out = run_trials("crawl", "euctr", "--base-url", register.base_url, "--query", "masitinib",
                     "--data", tmp_path, "--delay", "0").stdout
    assert "(euctr): fetched 6, new 6, changed 0, unchanged 0, quarantined 0" in out
    paths = [path for path, _ in register.requests]
    assert paths == ["/robots.txt", "/ctr-search/search?query=masitinib&page=1",
                     "/ctr-search/rest/download/full?query=masitinib&page=1&mode=current_page"]
    assert {agent for _, agent in register.requests} == {
        "trials/0.1 (clinical-trial registry crawler; obeys robots.txt, Retry-After and backoff)"}
    # Both trials by id: the six records already stored are recognized, not stored again.
    out = run_trials("crawl", "euctr", "--base-url", register.base_url, "--ids", ",".join(TRIALS),
                     "--data", tmp_path, "--delay", "0").stdout
    assert "(euctr): fetched 8, new 2, changed 0, unchanged 6, quarantined 0" in out
    run_trials("build", "--data", tmp_path)
    assert registrations(tmp_path) == {f"{e}-{c}" for e, countries in TRIALS.items() for c in countries}
    assert query(tmp_path, "select count(distinct trial_key) from trial_identities") == [(2,)]
    assert query(tmp_path, "select manifest->>'$.options.query', manifest->>'$.options.ids' from runs order by run_id") == [
        ("masitinib", "[]"), (None, json.dumps(list(TRIALS)).replace(" ", ""))]


def test_bad_arguments_fail_clearly(tmp_path):
    with pytest.raises(SystemExit, match="takes no --since"):
        main(["crawl", "euctr", "--since", "2024-01-01", "--data", str(tmp_path)])
    with pytest.raises(ValueError, match="not EudraCT numbers"):
        EuctrSpider(ids="NCT01234567")


def test_a_killed_crawl_resumes_from_its_last_page(tmp_path):
    data = tmp_path / "data"
    with serve(DOWNLOAD.read_bytes(), page_size=1, page_delay=0.7) as register:  # two slow pages
        crawl = subprocess.Popen([sys.executable, "-m", "trials", "crawl", "euctr", "--base-url", register.base_url,
                                  "--data", data, "--delay", "0"], cwd=REPO)
        try:
            deadline = time.monotonic() + 60
            checkpoints = []
            while not checkpoints and time.monotonic() < deadline and crawl.poll() is None:
                checkpoints = list((data / "runs").glob("*/checkpoint.json")) if (data / "runs").is_dir() else []
                time.sleep(0.05)
            assert checkpoints, f"no checkpoint (exit {crawl.poll()})"
        finally:
            os.kill(crawl.pid, signal.SIGKILL)
            crawl.wait()
        checkpoint = json.loads(checkpoints[0].read_text())
        assert checkpoint["state"] == {"page": 2, "pages": 2, "yielded": 2}
        register.page_delay = 0
        before = len(register.requests)
        resumed = run_trials("crawl", "euctr", "--resume", "--data", data, "--delay", "0")
        paths = [path for path, _ in register.requests[before:] if path != "/robots.txt"]
    assert resumed.stdout.startswith(f"resuming run {checkpoint['manifest']['run_id']} after 2 records")
    assert paths == ["/ctr-search/rest/download/full?query=&page=2&mode=current_page"]
    assert "fetched 8, new 8, changed 0, unchanged 0, quarantined 0" in resumed.stdout
    run_dir = data / "runs" / checkpoint["manifest"]["run_id"]
    assert pq.read_table(run_dir / "registry_records.parquet").num_rows == 8
