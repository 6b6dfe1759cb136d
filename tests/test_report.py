"""The report renders in a real headless Chromium without console errors and shows the warehouse's numbers."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pytest

from conftest import query, run_trials, skip_unless_local

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, installed with apt-get when it is missing (CI runs as root)."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
    if not CHROMIUM.exists():
        skip_unless_local("chromium is missing and `apt-get install chromium` was not possible (needs root and apt)")
    return CHROMIUM


def render(chromium, page):
    """(DOM after load, console messages) of a page opened in headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="trials-chromium-") as profile:
        result = subprocess.run([str(chromium), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return lxml.html.fromstring(result.stdout), re.findall(r":CONSOLE[^\]]*\] (.*)", result.stderr)


@pytest.fixture(scope="module")
def report_data(crawled_sample, tmp_path_factory):
    """The crawled sample plus an import run with one unreadable record, built and reported."""
    data = tmp_path_factory.mktemp("report") / "data"
    shutil.copytree(crawled_sample, data)
    broken = data.parent / "broken"
    broken.mkdir()
    (broken / "NCT00000000.json").write_text('{"protocolSection": ')
    run_trials("import", broken, "--data", data)
    run_trials("build", "--data", data)
    out = run_trials("report", "--data", data).stdout
    assert out.strip() == f"wrote {data / 'report' / 'index.html'}"
    return data


@pytest.fixture(scope="module")
def rendered(chromium, report_data):
    return render(chromium, report_data / "report" / "index.html")


def marks(dom, chart):
    """{(label, series): value} of a chart's marks, or {label: value} when it has no series."""
    found = {}
    for el in dom.xpath(f'//*[@data-chart="{chart}"]'):
        key = (el.get("data-label"), el.get("data-series")) if el.get("data-series") is not None else el.get("data-label")
        found[key] = int(el.get("data-value"))
    assert found, f"chart {chart} drew nothing"
    return found


def test_console_capture_sees_errors(chromium, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><title>x</title><script>console.error('visible'); notDefined();</script>")
    _, console = render(chromium, page)
    assert any("visible" in line for line in console) and any("notDefined" in line for line in console)


def test_the_report_renders_self_contained_without_console_errors(rendered):
    dom, console = rendered
    assert console == []
    assert dom.xpath("//link | //script[@src] | //img | //iframe") == []
    assert [u for u in dom.xpath("//@src | //@href") if not u.startswith("#")] == []
    assert len(dom.xpath("//svg")) >= 7


def test_kpis_and_freshness(rendered, report_data):
    dom, _ = rendered
    kpi = {el.get("data-kpi"): int(el.xpath("string(b)").replace(",", "")) for el in dom.xpath("//*[@data-kpi]")}
    (trials, sites, quarantined, runs), = query(report_data, "select (select count(*) from trials), "
        "(select count(*) from sites), (select count(*) from quarantine), (select count(*) from runs)")
    assert (kpi["trials"], kpi["sites"], kpi["quarantined"], kpi["runs"]) == (trials, sites, quarantined, runs) == (300, 1173, 1, 2)
    (latest,), = query(report_data, "select max(last_update_posted) from trials")
    assert f"Latest registry update in the data: {latest}" in dom.text_content()


def test_trials_by_phase_and_status(rendered, report_data):
    expected = query(report_data, "select coalesce(phase, 'No phase'), overall_status, count(*) from trials group by all")
    assert marks(rendered[0], "phase-status") == {(p, s): n for p, s, n in expected}


def test_trials_started_per_year(rendered, report_data):
    expected = dict(query(report_data, "select year(start_date)::varchar, count(*) from trials "
                                       "where start_date is not null group by 1"))
    drawn = marks(rendered[0], "started-per-year")
    assert {y: n for y, n in drawn.items() if n} == expected
    assert drawn["2015"] == expected["2015"] == 28


def test_sponsors_by_class_and_top_sponsors(rendered, report_data):
    dom, _ = rendered
    by_class = query(report_data, "select lead_sponsor_class, count(*) from trials "
                                  "where lead_sponsor_class is not null group by 1")
    assert marks(dom, "sponsor-classes") == {(c, c): n for c, n in by_class}
    top = query(report_data, "select s.name, s.agency_class, count(distinct s.nct_id) as n from sponsors as s "
                             "where s.role = 'lead' group by all order by n desc, s.name limit 15")
    assert marks(dom, "top-sponsors") == {(name, cls): n for name, cls, n in top}
    assert top[0][:2] == ("Bayer", "INDUSTRY")


def test_sites_per_country(rendered, report_data):
    drawn = {re.search(r"\((\w\w)\)$", label).group(1): n for label, n in marks(rendered[0], "sites-per-country").items()}
    counts = dict(query(report_data, "select country_code, count(*) from sites group by 1"))
    assert len(drawn) == 25 and all(counts[code] == n for code, n in drawn.items())
    assert sorted(drawn.values(), reverse=True) == sorted(counts.values(), reverse=True)[:25]
    assert drawn["US"] == max(counts.values())


def test_conditions_by_phase(rendered, report_data):
    drawn = marks(rendered[0], "conditions-by-phase")
    expected = {(c, p): n for c, p, n in query(report_data, "select c.condition, coalesce(t.phase, 'No phase'), "
        "count(distinct nct_id) from conditions as c join trials as t using (nct_id) group by all")}
    assert drawn == {key: n for key, n in expected.items() if key[0] in {c for c, _ in drawn}}
    assert ("Erectile Dysfunction", "PHASE3") in drawn


def test_quarantine_per_run(rendered, report_data):
    drawn = marks(rendered[0], "quarantine-per-run")
    runs = query(report_data, "select run_id, source, quarantined from runs")
    assert drawn == {run_id: n for run_id, _, n in runs}
    assert sorted((source, n) for _, source, n in runs) == [("ctgov", 0), ("import", 1)]
    assert "not an API v2 study object" in rendered[0].text_content() or "invalid JSON" in rendered[0].text_content()


def test_times_labelled_utc_are_utc_whatever_the_machines_time_zone(crawled_sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    run_trials("report", "--data", data, env={"TZ": "Asia/Kathmandu"})  # UTC+05:45
    (finished,), = query(data, "select strftime(max(finished_at) at time zone 'UTC', '%Y-%m-%d %H:%M') from runs")
    page = lxml.html.parse(str(data / "report" / "index.html")).getroot().text_content()
    assert f"last run finished: {finished} UTC" in page
