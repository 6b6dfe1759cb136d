"""`--data` that is a file, cannot be written, or holds a corrupt warehouse or run: one line, exit 1,
and what was there before is left as it was."""
import hashlib
import shutil
import subprocess

import pytest

from conftest import query, run_trials

COMMANDS = [("crawl", "ctgov", "--base-url", "http://127.0.0.1:9/api/v2"), ("import", "samples"), ("build",)]


def fingerprint(root):
    """Every file under root with the hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def fails_in_one_line(*args):
    result = run_trials(*args, check=False)
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("trials: "), result.stderr
    return result.stderr.strip()


@pytest.fixture
def built(tmp_path, crawled_sample):
    """A private copy of the crawled and built sample, free to break."""
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    return data


@pytest.mark.parametrize("command", COMMANDS + [("quarantine",)], ids=lambda c: c[0])
def test_data_is_a_file(tmp_path, command):
    data = tmp_path / "data"
    data.write_text("not a directory\n")
    assert fails_in_one_line(*command, "--data", data) == f"trials: --data {data} is not a directory"
    assert data.read_text() == "not a directory\n"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_data_under_a_file(tmp_path, command):
    (tmp_path / "afile").write_text("x")
    data = tmp_path / "afile" / "data"
    expected = f"no data directory {data}" if command[0] == "build" else "Not a directory"
    assert expected in fails_in_one_line(*command, "--data", data)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_data_not_writable(built, command):
    """chattr +i: read-only even for root, which the tests run as."""
    before = fingerprint(built)
    if subprocess.run(["chattr", "-R", "+i", built], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this filesystem")
    try:
        assert "Operation not permitted" in fails_in_one_line(*command, "--data", built)
    finally:
        subprocess.run(["chattr", "-R", "-i", built], check=True)
    assert fingerprint(built) == before


def test_corrupt_warehouse_is_rebuilt_from_the_runs(built):
    """The warehouse is derived: a build replaces a corrupt one; the runs are not touched."""
    (built / "trials.warehouse.duckdb").write_bytes(b"\0garbage" * 1000)
    runs = fingerprint(built / "runs")
    run_trials("build", "--data", built)
    assert query(built, "select count(*) from trials") == [(300,)]
    assert fingerprint(built / "runs") == runs


def test_corrupt_run_fails_the_build_and_keeps_the_warehouse(built):
    before = fingerprint(built)
    run, = (built / "runs").iterdir()
    (run / "trials.parquet").write_bytes(b"PAR1 truncated")
    message = fails_in_one_line("build", "--data", built)
    assert "trials.parquet" in message
    assert {k: v for k, v in fingerprint(built).items() if "trials.parquet" not in k} == \
        {k: v for k, v in before.items() if "trials.parquet" not in k}
    assert query(built, "select count(*) from trials") == [(300,)]


def test_quarantine_lists_nothing_on_a_clean_run(built):
    result = run_trials("quarantine", "--data", built)
    assert result.stdout.strip() == f"no quarantined records in {built}"
