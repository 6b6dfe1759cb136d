"""Long crawls and imports show records done / total, rate and ETA: in place on a TTY, as log lines for cron."""
import os
import pty
import re
import subprocess
import sys

from conftest import REPO, run_trials
from trials.samples import CTGOV_V2_SAMPLE

LINE = re.compile(r"^(import|crawl ctgov): (\d+)/(\d+) records \((\d+)%\), [\d,.]+/s, (ETA \d+:\d\d|\d+:\d\d elapsed)$")


def progress_lines(stderr):
    return [LINE.match(line).groups() for line in stderr.splitlines() if LINE.match(line)]


def test_import_logs_plain_lines_with_the_zip_total(tmp_path):
    result = run_trials("import", CTGOV_V2_SAMPLE, "--data", tmp_path, env={"TRIALS_PROGRESS_SECONDS": "0"})
    lines = progress_lines(result.stderr)
    assert [int(done) for _, done, *_ in lines[:-1]] == list(range(1, 301))
    assert {total for _, _, total, *_ in lines} == {"300"}
    assert lines[-1][1:4] == ("300", "300", "100") and lines[-1][4].endswith("elapsed")
    assert any(eta.startswith("ETA") for *_, eta in lines)
    assert "\r" not in result.stderr


def test_cron_gets_one_line_per_interval_and_a_last_one(tmp_path):
    result = run_trials("import", CTGOV_V2_SAMPLE, "--data", tmp_path)  # default interval: 30 s
    assert [g[:4] for g in progress_lines(result.stderr)] == [("import", "300", "300", "100")]


def test_a_terminal_gets_one_line_rewritten_in_place(tmp_path):
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "trials", "import", str(CTGOV_V2_SAMPLE), "--data", str(tmp_path)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=terminal, env={**os.environ, "TRIALS_PROGRESS_SECONDS": "0"})
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert proc.wait(timeout=60) == 0
    text = output.decode().replace("\r\n", "\n")  # the terminal turns \n into \r\n
    updates = text.split("\r")
    assert len(updates) > 100 and text.count("\n") == 1 and text.endswith("\n")
    assert updates[1].startswith("import: 1/300 records (0%)")
    assert updates[-1].startswith("import: 300/300 records (100%)")


def test_a_crawl_counts_against_the_registry_total(local_api, tmp_path):
    result = run_trials("crawl", "ctgov", "--base-url", local_api.base_url, "--data", tmp_path, "--delay", "0",
                        "--max-records", "40", env={"TRIALS_PROGRESS_SECONDS": "0"})
    pages = [path for path, _ in local_api.requests if path.startswith("/api/v2/studies?")]
    assert "countTotal=true" in pages[0]
    lines = progress_lines(result.stderr)
    # the registry holds 300 matching studies, the crawl was limited to 40
    assert [int(done) for _, done, *_ in lines[:40]] == list(range(1, 41))
    assert {total for _, _, total, *_ in lines} == {"40"} and lines[-1][1:4] == ("40", "40", "100")
