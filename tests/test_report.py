"""The report in a real headless Chromium: self-contained, no console errors, the warehouse's numbers, and
filters that, clicked, change every panel to what SQL on the warehouse says."""
import csv
import io
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import lxml.html
import pytest

from browser import Chromium
from conftest import query, run_trials, skip_unless_local
from trials.report import phase_label, status_label

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, installed with apt-get when it is missing (CI runs as root; `make browser` too)."""
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
    if not CHROMIUM.exists():
        skip_unless_local("chromium is missing and `apt-get install chromium` was not possible (needs root and apt)")
    return CHROMIUM


HOSTILE_TITLE = "</script><script>document.title = 'owned'</script><img src=x onerror=\"document.title='owned'\">"
HOSTILE_SPONSOR = "<b>Bold & Co</b> \u2028 Ltd"


@pytest.fixture(scope="module")
def report_data(crawled_sample, tmp_path_factory, sample_studies, shared_data):
    """The crawled sample plus an import run with one unreadable record and one hostile one, and the shared
    ICTRP export and EU register full text (other registries: they add registrations, not `trials` rows),
    built and reported."""
    data = tmp_path_factory.mktemp("report") / "data"
    shutil.copytree(crawled_sample, data)
    registries = shared_data / "registries"
    for export in (registries / "ictrp" / "ICTRP-Results_18Mar2020.xml", registries / "euctr" / "euctr-full-text-2-trials.txt"):
        run_trials("import", export, "--data", data)
    broken = data.parent / "broken"
    broken.mkdir()
    (broken / "NCT00000000.json").write_text('{"protocolSection": ')
    study = json.loads(sample_studies[sorted(sample_studies)[0]])
    study["protocolSection"]["identificationModule"].update(nctId="NCT99999998", briefTitle=HOSTILE_TITLE)
    study["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = HOSTILE_SPONSOR
    (broken / "NCT99999998.json").write_text(json.dumps(study))
    run_trials("import", broken, "--data", data)
    run_trials("build", "--data", data)
    out = run_trials("report", "--data", data).stdout
    assert out.strip() == f"wrote {data / 'report' / 'index.html'}"
    return data


@pytest.fixture(scope="module")
def page(chromium, report_data):
    with Chromium(chromium) as browser:
        browser.open((report_data / "report" / "index.html").as_uri())
        yield browser


MARKS = """[...document.querySelectorAll('[data-chart="%s"]')].map(e =>
    [e.dataset.label, e.dataset.series === undefined ? null : e.dataset.series, Number(e.dataset.value)])"""


def marks(page, chart):
    """{(label, series): value} of a chart's marks, or {label: value} when they have no series."""
    found = page.evaluate(MARKS % chart)
    return {(label if series is None else (label, series)): value for label, series, value in found}


def kpis(page):
    return page.evaluate("Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(e => "
                         "[e.dataset.kpi, Number(e.querySelector('b').textContent.replace(/,/g, ''))]))")


def set_filters(page, **wanted):
    """Click the filter checkboxes with these labels (after clearing all), as a user would."""
    page.click("#reset")
    for name, labels in wanted.items():
        for label in labels:
            page.click(f'input[data-filter="{name}"][data-label="{label}"]')


def expected_panels(data, where="true"):
    """What every panel must show for the trials matching `where` (SQL over trials t and calculated_values cv)."""
    base = f"from trials as t join calculated_values as cv using (nct_id) where {where}"
    return {
        "phase-status": {(phase_label(p), status_label(s)): n for p, s, n in query(
            data, f"select t.phase, t.overall_status, count(*) {base} group by all")},
        "started-per-year": {str(y): n for y, n in query(
            data, f"select year(t.start_date), count(*) {base} and t.start_date is not null group by 1")},
        "sponsor-classes": {(c, c): n for c, n in query(
            data, f"select t.lead_sponsor_class, count(*) {base} and t.lead_sponsor_class is not null group by 1")},
        "kpis": dict(zip(["trials", "sites", "overdue", "stale", "results_overdue"], query(
            data, f"select count(*), coalesce(sum(cv.number_of_sites), 0), count(*) filter (where cv.is_overdue), "
                  f"count(*) filter (where cv.is_stale), count(*) filter (where cv.results_overdue) {base}")[0])),
        "areas": dict(query(data, "select a.area, count(*) from trials as t join therapeutic_areas as a "
                                  f"using (nct_id) where {where} group by 1")),
        "stopped": {status_label(s): n for s, n in query(
            data, f"select t.overall_status, count(*) {base} and t.overall_status in "
                  "('TERMINATED', 'WITHDRAWN', 'SUSPENDED') group by 1")},
    }


def check_panels(page, data, where="true"):
    expected = expected_panels(data, where)
    shown = kpis(page)
    assert {k: shown[k] for k in expected["kpis"]} == expected["kpis"]
    for chart in ("phase-status", "sponsor-classes", "stopped", "areas"):
        assert marks(page, chart) == expected[chart], chart
    assert {y: n for y, n in marks(page, "started-per-year").items() if n} == expected["started-per-year"]
    return expected


def test_the_report_is_self_contained_and_runs_without_errors(page, report_data):
    assert page.console_errors() == []
    dom = lxml.html.parse(str(report_data / "report" / "index.html")).getroot()
    assert dom.xpath("//link | //script[@src] | //img | //iframe") == []
    links = page.evaluate("[...document.querySelectorAll('[href], [src]')].map(e => e.getAttribute('href') || e.getAttribute('src'))")
    assert links and all(url.startswith("https://clinicaltrials.gov/study/NCT") for url in links)


def test_text_from_the_registry_is_shown_as_text(page):
    page.click("#reset")
    page.click('[data-details="phase-status"] summary')
    assert page.evaluate("document.title") == "trials report"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # the data and the page's own
    assert page.evaluate("[...document.querySelectorAll('b')].every(b => b.parentElement.matches('.kpi'))")
    rows = page.evaluate("[...document.querySelectorAll('[data-table=phase-status] tbody tr')].map(r => r.cells[1].textContent)")
    assert HOSTILE_TITLE in rows
    page.click('[data-details="sponsors"] summary')
    sponsors = page.evaluate("[...document.querySelectorAll('[data-table=sponsors] tbody tr')].map(r => r.cells[2].textContent)")
    assert any(s.startswith("<b>Bold & Co</b>") for s in sponsors)


def test_unfiltered_numbers_are_the_warehouses(page, report_data):
    page.click("#reset")
    expected = check_panels(page, report_data)
    assert expected["kpis"]["trials"] == 301
    top = query(report_data, "select canonical_name, agency_class, count(distinct nct_id) as n from sponsors "
                             "where role = 'lead' group by all order by n desc, canonical_name limit 15")
    assert marks(page, "top-sponsors") == {(name, cls): n for name, cls, n in top}
    countries = dict(query(report_data, "select country, trials from mart_sites_by_country order by trials desc, country limit 25"))
    assert marks(page, "trials-per-country") == countries
    conditions = marks(page, "conditions-by-phase")
    expected_conditions = {(m, phase_label(p)): n for m, p, n in query(report_data, "select m.mesh_term, t.phase, "
        "count(distinct nct_id) from condition_mesh_terms as m join trials as t using (nct_id) group by all")}
    assert conditions == {key: n for key, n in expected_conditions.items() if key[0] in {m for m, _ in conditions}}
    assert marks(page, "quarantine-per-run") == {r: n for r, n in query(report_data, "select run_id, quarantined from runs") if n}


def test_one_phase_vocabulary_and_every_chart_titled(page):
    page.click("#reset")
    labels = set(page.evaluate("[...document.querySelectorAll('input[data-filter=phase]')].map(e => e.dataset.label)"))
    assert labels <= {"Not applicable", "Early phase 1", "Phase 1", "Phase 1/2", "Phase 2", "Phase 2/3", "Phase 3",
                      "Phase 4", "No phase"}
    shown = {label for label, _ in marks(page, "phase-status")} | {s for _, s in marks(page, "conditions-by-phase")}
    assert shown <= labels
    untitled = page.evaluate("[...document.querySelectorAll('.chart')].filter(c => "
                             "!c.querySelector('.chart-title')?.textContent.trim()).length")
    assert untitled == 0 and page.evaluate("document.querySelectorAll('.chart').length") >= 10
    # nothing clipped: every label shows its whole text
    clipped = page.evaluate("[...document.querySelectorAll('.bars .label')].filter(e => e.scrollWidth > e.clientWidth + 1"
                            " || e.textContent !== e.title).map(e => e.textContent)")
    assert clipped == []


def test_clicked_filters_change_every_panel_to_the_warehouses_numbers(page, report_data):
    set_filters(page, phase=["Phase 2"])
    assert check_panels(page, report_data, "t.phase = 'PHASE2'")["kpis"]["trials"] > 10
    set_filters(page, phase=["Phase 2", "Phase 3"], **{"class": ["INDUSTRY"]})
    check_panels(page, report_data, "t.phase in ('PHASE2', 'PHASE3') and t.lead_sponsor_class = 'INDUSTRY'")
    set_filters(page, status=[status_label("COMPLETED")], country=["United States"])
    where = "t.overall_status = 'COMPLETED' and exists (select 1 from sites as s where s.nct_id = t.nct_id " \
            "and s.country = 'United States')"
    assert check_panels(page, report_data, where)["kpis"]["trials"] > 10
    page.click("#reset")
    page.type('input[data-filter="from"]', "2010")
    page.type('input[data-filter="to"]', "2015")
    check_panels(page, report_data, "year(t.start_date) between 2010 and 2015")
    page.click("#reset")
    check_panels(page, report_data)


def test_tables_sort_link_and_download(page, report_data, tmp_path):
    page.click("#reset")
    page.click('[data-details="terminations"] summary')
    rows = "[...document.querySelectorAll('[data-table=terminations] tbody tr')].map(r => [...r.cells].map(c => c.textContent))"
    stopped = query(report_data, "select nct_id, why_stopped from trials where overall_status in "
                                 "('TERMINATED', 'WITHDRAWN', 'SUSPENDED') order by nct_id")
    assert sorted((r[0], r[3] or None) for r in page.evaluate(rows)) == stopped
    page.click('[data-table=terminations] th[data-column="NCT id"]')
    page.click('[data-table=terminations] th[data-column="NCT id"]')
    assert [r[0] for r in page.evaluate(rows)] == sorted((n for n, _ in stopped), reverse=True)
    link = page.evaluate("document.querySelector('[data-table=terminations] tbody a').href")
    assert link == f"https://clinicaltrials.gov/study/{sorted(n for n, _ in stopped)[-1]}"
    page.allow_downloads(tmp_path)
    page.click('[data-csv="terminations"]')
    target = tmp_path / "terminations.csv"
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    records = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert sorted((r["NCT id"], r["Why stopped"] or None) for r in records) == stopped


def test_times_labelled_utc_are_utc_whatever_the_machines_time_zone(crawled_sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    run_trials("report", "--data", data, env={"TZ": "Asia/Kathmandu"})  # UTC+05:45
    (finished,), = query(data, "select strftime(max(finished_at) at time zone 'UTC', '%Y-%m-%d %H:%M') from runs")
    page = lxml.html.parse(str(data / "report" / "index.html")).getroot().text_content()
    assert f"last run finished: {finished} UTC" in page


IN_AREA = "exists (select 1 from therapeutic_areas as a where a.nct_id = t.nct_id and a.area in ({}))"


def test_the_therapeutic_area_filter_changes_every_panel_to_the_warehouses_numbers(page, report_data):
    page.click("#reset")
    areas = dict(query(report_data, "select area, count(*) from therapeutic_areas group by 1"))
    assert marks(page, "areas") == areas and "Neoplasms" in areas
    set_filters(page, area=["Neoplasms"])
    neoplasms = check_panels(page, report_data, IN_AREA.format("'Neoplasms'"))
    assert neoplasms["kpis"]["trials"] == areas["Neoplasms"] < 301
    # a trial in two areas counts once under the filter, and in each area's bar
    set_filters(page, area=["Neoplasms", "Heart and Blood Diseases"])
    both = check_panels(page, report_data, IN_AREA.format("'Neoplasms', 'Heart and Blood Diseases'"))
    assert both["kpis"]["trials"] > neoplasms["kpis"]["trials"]
    set_filters(page, area=["Behaviors and Mental Disorders"], phase=["Phase 3"])
    where = IN_AREA.format("'Behaviors and Mental Disorders'") + " and t.phase = 'PHASE3'"
    assert check_panels(page, report_data, where)["kpis"]["trials"] > 0
    cells = {(area, phase_label(p)): n for area, p, n in query(report_data, "select area, phase, sum(trials) from "
             "mart_trials_by_area_phase_status where phase = 'PHASE3' and area_code in (select area_code from "
             "therapeutic_areas where area = 'Behaviors and Mental Disorders') group by all")}
    assert {k: v for k, v in marks(page, "areas-by-phase").items() if k[0] == "Behaviors and Mental Disorders"} == cells
    page.click("#reset")
    without = query(report_data, "select count(*) from trials where nct_id not in (select nct_id from therapeutic_areas)")
    assert page.evaluate("document.querySelector('[data-without-area]').dataset.withoutArea") == str(without[0][0])


def test_registries_side_by_side_are_the_warehouses_and_not_filtered(page, report_data):
    expected = {registry: (registrations, trials) for registry, registrations, trials in query(report_data,
        "select registry, count(*), count(distinct trial_key) from trial_identities group by 1")}
    assert {"CTGOV", "ChiCTR", "EUCTR"} <= set(expected)
    assert expected["EUCTR"][0] > expected["EUCTR"][1]  # the EU register's country records of one trial
    for filters in ({}, {"area": ["Neoplasms"]}):
        set_filters(page, **filters)
        assert marks(page, "registry-registrations") == {r: n for r, (n, _) in expected.items()}
        assert marks(page, "registry-trials") == {r: n for r, (_, n) in expected.items()}
    rows = page.evaluate("[...document.querySelectorAll('[data-table=registries] tbody tr')].map(r => "
                         "[...r.cells].map(c => c.textContent.replace(/,/g, '')))")
    counted = query(report_data, "select registry, count(*) filter (where is_preferred) from trial_identities group by 1")
    assert {r[0]: int(r[3]) for r in rows} == dict(counted)
    (distinct,), = query(report_data, "select count(distinct trial_key) from trial_identities")
    assert sum(int(r[3]) for r in rows) == distinct
    page.click("#reset")
