"""Shared fixtures: the real records, a local registry on 127.0.0.1, and the real `trials` command."""
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from trials.api_server import serve
from trials.samples import ctgov_v2_studies, ctgov_xml_studies

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


def skip_unless_local(reason):
    """Skip on a developer's machine that lacks something; in CI (CI=true) that is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run every test)")
    pytest.skip(reason)


def run_trials(*args, check=True, timeout=600, env=None):
    """Run the installed `trials` command in a subprocess, as a user or cron would."""
    result = subprocess.run(
        [sys.executable, "-m", "trials", *map(str, args)], cwd=REPO, capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"trials {' '.join(map(str, args))} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def query(data_dir, sql, params=None):
    con = duckdb.connect(str(Path(data_dir) / "trials.warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def sample_studies():
    return ctgov_v2_studies()


@pytest.fixture(scope="session")
def sample_xml():
    """The shipped legacy XML sample: nct_id -> `<clinical_study>` bytes."""
    return ctgov_xml_studies()


@pytest.fixture
def local_api(sample_studies):
    with serve(sample_studies) as server:
        yield server


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        skip_unless_local(f"{SHARED_DATA} is not here")
    return SHARED_DATA


@pytest.fixture(scope="session")
def crawled_sample(tmp_path_factory, sample_studies):
    """A data directory with the whole sample crawled from the local API and built, once per session."""
    data = tmp_path_factory.mktemp("crawled")
    with serve(sample_studies) as server:
        run_trials("crawl", "ctgov", "--base-url", server.base_url, "--data", data, "--delay", "0")
    run_trials("build", "--data", data)
    return data
