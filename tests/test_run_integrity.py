"""Nothing lost, nothing trusted: the runs under faults (a full disk, kills, a clock ahead, a hostile
registry) and tampered run folders, with the real spiders, real servers on 127.0.0.1, real signals
and a real small file system."""
import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyarrow.parquet as pq
import pytest

from conftest import REPO, query, run_trials
from fault_server import FAST_ARGS, FaultApi
from trials.api_server import serve
from trials.samples import CTGOV_V2_SAMPLE


@contextlib.contextmanager
def small_disk(path, size):
    """A tmpfs of `size` mounted at `path` for the block: a disk that really fills up."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs here (root needed): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk):
    """Write a ballast file until the disk is full; returns it."""
    ballast = disk / "ballast"
    with open(ballast, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with contextlib.suppress(OSError):  # the last bytes of a block
        with open(ballast, "ab") as file:
            while True:
                file.write(b"\0")
                file.flush()
    return ballast


def trials_process(*args, **options):
    """`trials` as a child process to signal, with SIGINT as a terminal has it (a shell's background
    job, a CI runner's say, inherits it ignored)."""
    return subprocess.Popen([sys.executable, "-m", "trials", *map(str, args)], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **options)


def wait_for(predicate, process, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        assert process.poll() is None, f"exited {process.returncode} before {what}: {process.communicate()}"
        time.sleep(0.02)
    raise AssertionError(f"no {what} in {seconds} s")


def checkpoint_of(data, records):
    for path in (data / "runs").glob("*/checkpoint.json"):
        with contextlib.suppress(OSError, ValueError):
            checkpoint = json.loads(path.read_text())
            if checkpoint["manifest"]["counts"]["fetched"] >= records:
                return checkpoint
    return None


def committed(data):
    return sorted(p.parent.name for p in (data / "runs").glob("*/manifest.json"))


def stored(data):
    """(counts, nct ids in trials.parquet) of the one committed run."""
    (run,) = committed(data)
    manifest = json.loads((data / "runs" / run / "manifest.json").read_text())
    return manifest["counts"], sorted(pq.read_table(data / "runs" / run / "trials.parquet")["nct_id"].to_pylist())


@pytest.fixture
def hundred(sample_studies):
    return dict(sorted(sample_studies.items())[:100])


@pytest.fixture
def twenty(sample_studies):
    return dict(sorted(sample_studies.items())[:20])


@pytest.fixture(scope="module")
def crawled_run(tmp_path_factory, sample_studies):
    """A data directory with one committed crawl of 20 studies (copy it before tampering)."""
    data = tmp_path_factory.mktemp("crawled20")
    with serve(dict(sorted(sample_studies.items())[:20])) as api:
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0")
    return data


def copy_of(crawled_run, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_run, data)
    (run,) = (data / "runs").iterdir()
    return data, run


# Silent loss (issue 17, 1-6)

def test_disk_full_for_a_moment_fails_the_crawl_and_resume_stores_everything(tmp_path, hundred):
    data = small_disk(tmp_path / "disk", "16m")
    with data as data, serve(hundred, max_page_size=5, page_delay=0.05) as api:  # 20 pages
        crawl = trials_process("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0")
        wait_for(lambda: checkpoint_of(data, 10), crawl, "checkpoint of 10 records")
        ballast = fill(data)
        try:
            crawl.wait(timeout=1.0)  # full for a second; the crawl stops at its first failed write
        except subprocess.TimeoutExpired:
            pass
        ballast.unlink()
        out, err = crawl.communicate(timeout=60)
        assert crawl.returncode == 1, out + err
        assert "could not be stored" in err.splitlines()[-1] and "--resume" in err.splitlines()[-1]
        assert committed(data) == []
        api.page_delay = 0
        resumed = run_trials("crawl", "ctgov", "--resume", "--data", data, "--delay", "0")
        assert resumed.stdout.startswith("resuming run ")
        counts, ids = stored(data)
        assert ids == sorted(hundred) and (counts["fetched"], counts["new"]) == (100, 100)


def test_resume_verifies_the_sealed_parts(tmp_path, hundred):
    data = tmp_path / "data"
    with serve(hundred, max_page_size=10, page_delay=0.05) as api:
        crawl = trials_process("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0")
        try:
            checkpoint = wait_for(lambda: checkpoint_of(data, 30), crawl, "checkpoint of 30 records")
        finally:
            crawl.kill()
            crawl.communicate()
        run_dir = data / "runs" / checkpoint["manifest"]["run_id"]
        (run_dir / "trials.part-00000.parquet").unlink()  # one sealed part lost
        api.page_delay = 0
        resumed = run_trials("crawl", "ctgov", "--resume", "--base-url", api.base_url, "--data", data,
                             "--delay", "0")
    assert "trials.part-00000.parquet is missing (checkpoint.json lists it with 10 rows)" in resumed.stderr
    assert "cannot be resumed and is abandoned" in resumed.stderr
    assert not resumed.stdout.startswith("resuming")  # a new, complete run instead
    assert not run_dir.exists()
    counts, ids = stored(data)
    assert ids == sorted(hundred) and (counts["fetched"], counts["new"]) == (100, 100)


def test_since_auto_never_asks_for_a_future_date(tmp_path, twenty, crawled_run):
    data, run = copy_of(crawled_run, tmp_path)
    manifest = json.loads((run / "manifest.json").read_text())
    ahead = dt.datetime.fromisoformat(manifest["started_at"]) + dt.timedelta(days=365)
    future_id = ahead.strftime("%Y%m%dT%H%M%S%fZ-") + "c10c00"  # the run of a night the clock was ahead
    (data / "runs" / future_id).mkdir()
    with serve(twenty) as api:
        manifest["options"]["base_url"] = api.base_url  # the same crawl as the earlier runs
        (run / "manifest.json").write_text(json.dumps(manifest))
        (data / "runs" / future_id / "manifest.json").write_text(json.dumps(
            {**manifest, "run_id": future_id, "started_at": ahead.isoformat(), "files": {},
             "since": (ahead.date() - dt.timedelta(days=2)).isoformat()}))
        result = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", data, "--delay", "0",
                            "--since", "auto")
    asked = parse_qs(urlsplit(api.requests[-1][0]).query)["filter.advanced"][0]
    started = dt.datetime.fromisoformat(manifest["started_at"]).date()
    assert asked == f"AREA[LastUpdatePostDate]RANGE[{started - dt.timedelta(days=2)},MAX]"
    assert f"run {future_id} started at {ahead.isoformat()}" in result.stderr and "clock ahead" in result.stderr


def test_paging_past_total_count_stops_with_an_error(tmp_path, twenty):
    with serve(twenty, FaultApi, page_size=5, endless_tokens=True) as api:
        result = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                            *FAST_ARGS, check=False, timeout=120)
        assert len(api.hits_of("/api/v2/studies")) == 4
    assert result.returncode == 1
    assert "nextPageToken goes on after the 20 records the registry counted (totalCount)" in result.stdout


def test_a_control_character_moving_between_fields_is_a_change(tmp_path, twenty):
    """Two versions of a trial whose adjacent titles differ only in where a separator character sits."""
    nct_id = sorted(twenty)[0]
    folder = tmp_path / "studies"
    folder.mkdir()
    for name, brief, official in (("a", "Aspirin\x1fafter", "stroke"), ("b", "Aspirin", "after\x1fstroke"),
                                  ("c", "Aspirin", "after\x1fstroke")):
        study = json.loads(twenty[nct_id])
        study["protocolSection"]["identificationModule"].update(briefTitle=brief, officialTitle=official)
        (folder / f"{name}.json").write_text(json.dumps(study))
    result = run_trials("import", folder, "--data", tmp_path / "data")
    assert "fetched 3, new 1, changed 1, unchanged 1" in result.stdout


# State verified, never trusted (issue 17, 7-10)

@pytest.mark.parametrize("lost", ["sites.parquet", "trials.parquet"])
def test_build_refuses_a_run_missing_a_file(tmp_path, crawled_run, lost):
    data, run = copy_of(crawled_run, tmp_path)
    rows = pq.read_metadata(run / lost).num_rows
    (run / lost).unlink()
    result = run_trials("build", "--data", data, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"trials: {run / lost} is missing (manifest.json lists it with {rows} rows)"]


def test_truncated_manifest_is_named(tmp_path, crawled_run):
    data, run = copy_of(crawled_run, tmp_path)
    text = (run / "manifest.json").read_text()
    (run / "manifest.json").write_text(text[: len(text) // 2])
    result = run_trials("build", "--data", data, check=False)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"trials: {run / 'manifest.json'} is not a readable run manifest (JSONDecodeError")
    listing = run_trials("runs", "--data", data).stdout  # the listing still works, and says what is wrong
    assert f"corrupt: {run / 'manifest.json'} is not a readable run manifest" in listing


def test_garbage_checkpoint_abandons_its_run_not_the_schedule(tmp_path, crawled_run, twenty):
    data, _ = copy_of(crawled_run, tmp_path)
    broken = data / "runs" / "20300101T000000000000Z-0bad00"  # newer than anything: the one --resume picks
    broken.mkdir()
    (broken / "checkpoint.json").write_bytes(b"\x00\xffnot json")
    (broken / "trials.part-00000.parquet").write_bytes(b"PAR1 half a row group")
    listing = run_trials("runs", "--data", data).stdout
    assert f"abandoned ({broken / 'checkpoint.json'} is not a readable checkpoint" in listing
    with serve(twenty) as api:  # the cron line
        result = run_trials("crawl", "ctgov", "--resume", "--base-url", api.base_url, "--data", data, "--delay", "0")
    assert "is not a readable checkpoint" in result.stderr and "cannot be resumed and is abandoned" in result.stderr
    assert "fetched 20, new 0, changed 0, unchanged 20" in result.stdout
    assert not broken.exists()  # removed by the run that committed: the next night is a plain one


def test_symlinks_under_runs_are_refused_not_followed(tmp_path, crawled_run, sample_studies):
    data, run = copy_of(crawled_run, tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(run, outside)
    (outside / "checkpoint.json").write_text(json.dumps(
        {"manifest": json.loads((run / "manifest.json").read_text()), "parts": 0, "files": {}, "state": {}}))
    (outside / "manifest.json").unlink()  # looks like an interrupted run to resume
    before = sorted(p.name for p in outside.iterdir())
    link = data / "runs" / "20300101T000000000000Z-11nk00"
    link.symlink_to(outside)
    with serve(sample_studies) as api:
        resumed = run_trials("crawl", "ctgov", "--resume", "--base-url", api.base_url, "--data", data,
                             "--delay", "0", check=False)
    built = run_trials("build", "--data", data, check=False)
    for result in (resumed, built):
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1] == f"trials: {link} is a symbolic link: runs/ holds only the " \
                                                 "runs' own folders, remove the link"
    assert sorted(p.name for p in outside.iterdir()) == before  # nothing deleted through the link


FSYNC_TRACE = """
import os, sys
log = open(sys.argv[1], "w")
real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename
def fsync(fd):
    log.write(f"fsync {os.readlink(f'/proc/self/fd/{fd}')}\\n")
    return real_fsync(fd)
def replace(src, dst, **kw):
    log.write(f"rename {os.path.abspath(src)} {os.path.abspath(dst)}\\n")
    return real_replace(src, dst, **kw)
def rename(src, dst, **kw):
    log.write(f"rename {os.path.abspath(src)} {os.path.abspath(dst)}\\n")
    return real_rename(src, dst, **kw)
os.fsync, os.replace, os.rename = fsync, replace, rename
from trials.cli import main
try:
    main(sys.argv[2:])
finally:
    log.close()
"""


def test_commits_are_fsynced_before_and_after_their_renames(tmp_path):
    """Every rename that commits a run or a build: its file's data synced before, its directory after."""
    data, trace = tmp_path / "data", tmp_path / "trace"
    for args in (["import", CTGOV_V2_SAMPLE], ["build"]):
        subprocess.run([sys.executable, "-c", FSYNC_TRACE, trace, *map(str, args), "--data", data], cwd=REPO,
                       check=True, capture_output=True)
        ops = [line.split() for line in trace.read_text().splitlines()]
        renames = [(at, op[1], op[2]) for at, op in enumerate(ops) if op[0] == "rename"]
        committing = [r for r in renames if r[2].endswith(("manifest.json", ".parquet", ".duckdb"))]
        assert committing, ops
        for at, src, dst in committing:
            assert ["fsync", src] in ops[:at], f"{src} renamed unsynced"
            assert ["fsync", os.path.dirname(dst)] in ops[at + 1:], f"{os.path.dirname(dst)} not synced after"


# Resources (issue 17, 15)

def test_full_disk_during_import_is_one_line_and_leaves_nothing(tmp_path):
    with small_disk(tmp_path / "disk", "512k") as disk:
        data = disk / "data"
        result = run_trials("import", CTGOV_V2_SAMPLE, "--data", data, check=False)
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1].startswith("trials: ") and "No space left on device" in result.stderr
        assert "Traceback" not in result.stderr
        assert [line for line in result.stderr.splitlines() if not line.startswith("import:")] == \
            [result.stderr.splitlines()[-1]]
        assert list(data.rglob("*.tmp")) == [] and list((data / "runs").iterdir()) == []
        assert shutil.disk_usage(disk).used < 64 << 10  # the space is free again


def test_full_disk_during_build_is_one_line_and_leaves_nothing(tmp_path):
    with small_disk(tmp_path / "disk", "4000k") as disk:  # the run fits (about 2.8 MiB), the warehouse not
        data = disk / "data"
        run_trials("import", CTGOV_V2_SAMPLE, "--data", data)
        result = run_trials("build", "--data", data, check=False)
        assert result.returncode == 1 and "No space left on device" in result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
        assert sorted(p.name for p in data.iterdir()) == ["build.lock", "run.lock", "runs"]  # no .tmp, .tmp.wal, marts


@pytest.fixture
def xml_folder(shared_data):
    return shared_data / "ctgov_xml"


def import_with_own_tmp(tmp_path, folder):
    """`import --workers 2` with a TMPDIR of its own, to see what it leaves there."""
    (tmp_path / "tmp").mkdir()
    return trials_process("import", folder, "--data", tmp_path / "data", "--workers", "2", start_new_session=True,
                          env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})


def test_ctrl_c_during_import_is_one_line(tmp_path, xml_folder):
    data = tmp_path / "data"
    imported = import_with_own_tmp(tmp_path, xml_folder)
    wait_for(lambda: list((data / "runs").glob("*/spool/*.arrow")) or list((data / "runs").glob("*/spool")),
             imported, "import under way")
    os.killpg(imported.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    out, err = imported.communicate(timeout=60)
    assert imported.returncode == 130
    assert [line for line in err.splitlines() if not line.startswith("import:")] == ["trials: interrupted"]
    assert list((data / "runs").iterdir()) == [] and list((tmp_path / "tmp").iterdir()) == []


def test_killed_import_leaves_no_spool_outside_dir(tmp_path, xml_folder):
    data = tmp_path / "data"
    imported = import_with_own_tmp(tmp_path, xml_folder)
    wait_for(lambda: list((data / "runs").glob("*/spool")), imported, "import under way")
    os.killpg(imported.pid, signal.SIGKILL)
    imported.communicate(timeout=60)
    assert list((tmp_path / "tmp").iterdir()) == []
    (killed,) = (data / "runs").iterdir()
    run_trials("import", CTGOV_V2_SAMPLE, "--data", data)
    assert not killed.exists()  # the next run removed it, spool and all
