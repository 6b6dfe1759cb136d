"""The real pages spider crawls the local mirror site; legacy XML imports from a folder and a zip;
either way a trial lands once, and the same as it does from its XML."""
import signal
import subprocess
import sys
import time
import zipfile
from http.server import ThreadingHTTPServer

import pytest

from conftest import REPO, query, run_trials
from trials.local_http import QuietHandler, running
from trials.mirror_site import render_trial_page, serve_mirror

TRIAL_COLUMNS = ("nct_id, brief_title, study_type, phase, overall_status, start_date, start_date_precision, "
                 "enrollment, enrollment_type, masking, sex, minimum_age_years, maximum_age_years, "
                 "eligibility_criteria, lead_sponsor, lead_sponsor_class, has_results")
# (Not content_hash: it covers the whole record, and a mirror page shows fewer of its fields than the XML.)


@pytest.fixture(scope="module")
def crawled_mirror(tmp_path_factory, sample_xml):
    """The whole mirror site crawled from its first listing page and built; the site's request log."""
    data = tmp_path_factory.mktemp("mirror")
    with serve_mirror(sample_xml) as site:
        run_trials("crawl", "pages", "--start-url", f"{site.base_url}/trials", "--data", data, "--delay", "0")
        requests = list(site.requests)
    run_trials("build", "--data", data)
    return data, requests


@pytest.fixture(scope="module")
def imported_zip(tmp_path_factory):
    data = tmp_path_factory.mktemp("xmlzip")
    run_trials("import", REPO / "samples" / "ctgov_xml_studies.zip", "--data", data)
    run_trials("build", "--data", data)
    return data


def test_the_spider_crawls_the_whole_site_and_every_trial_lands_once(crawled_mirror, sample_xml):
    data, requests = crawled_mirror
    assert query(data, "select nct_id from trials order by 1") == [(n,) for n in sorted(sample_xml)]
    assert query(data, "select distinct source from trials") == [("mirror_page",)]
    assert query(data, "select fetched, new, quarantined from runs") == [(len(sample_xml), len(sample_xml), 0)]
    trial_requests = [r for r in requests if r.startswith("/trials/NCT")]
    assert sorted(trial_requests) == sorted(f"/trials/{n}" for n in sample_xml)  # each page fetched once
    assert "/robots.txt" in requests
    assert not [r for r in requests if r.startswith(("/search", "/account"))]  # robots.txt disallows them
    assert not [r for r in requests if r.startswith(("/homepage", "/pages/"))]  # not listings: no page number


def test_a_trial_looks_the_same_from_the_mirror_and_from_its_xml(crawled_mirror, imported_zip, sample_xml):
    from_pages = query(crawled_mirror[0], f"select {TRIAL_COLUMNS} from trials order by nct_id")
    from_xml = query(imported_zip, f"select {TRIAL_COLUMNS} from trials order by nct_id")
    assert from_pages == from_xml and len(from_xml) == len(sample_xml)
    sites = "select nct_id, facility, city, country_code, status from sites order by all"
    assert query(crawled_mirror[0], sites) == query(imported_zip, sites)
    assert query(imported_zip, "select distinct source from trials") == [("ctgov_xml",)]
    for table in ("conditions", "keywords", "condition_mesh_terms", "interventions", "arm_groups", "sponsors",
                  "secondary_ids", "outcomes"):
        rows = f"select * from {table} order by all"
        assert query(crawled_mirror[0], rows) == query(imported_zip, rows), table


def test_the_crawl_starts_from_a_sitemap_under_scrapys_own_cli(tmp_path, sample_xml):
    few = dict(list(sample_xml.items())[:12])
    with serve_mirror(few) as site:
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "pages", "-a", f"start_url={site.base_url}/sitemap.xml",
                        "-s", f"TRIALS_DATA={tmp_path}", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
                       cwd=REPO, check=True, capture_output=True, timeout=300)
        assert "/sitemap.xml" in site.requests
    run_trials("build", "--data", tmp_path)
    assert query(tmp_path, "select nct_id, source from trials order by 1") == [(n, "mirror_page") for n in sorted(few)]


def test_crawl_pages_needs_a_start_url(tmp_path):
    result = run_trials("crawl", "pages", "--data", tmp_path, check=False)
    assert result.returncode == 1 and "needs --start-url" in result.stderr


def test_import_of_a_folder_of_legacy_xml_quarantines_the_broken_file(tmp_path, sample_xml):
    folder = tmp_path / "xml" / "NCT0000xxxx"
    folder.mkdir(parents=True)
    chosen = sorted(sample_xml)[:20]
    for nct_id in chosen:
        (folder / f"{nct_id}.xml").write_bytes(sample_xml[nct_id])
    (folder / "NCT09999999.xml").write_bytes(b"<clinical_study><id_info>")
    result = run_trials("import", tmp_path / "xml", "--data", tmp_path / "data")
    assert "fetched 21, new 20" in result.stdout and "quarantined 1" in result.stdout
    run_trials("build", "--data", tmp_path / "data")
    assert query(tmp_path / "data", "select nct_id from trials order by 1") == [(n,) for n in chosen]
    (reason, payload), = query(tmp_path / "data", "select reason, payload from quarantine")
    assert reason.startswith("invalid XML") and payload == "<clinical_study><id_info>"


def test_import_of_an_allpublicxml_style_zip(tmp_path, sample_xml, imported_zip):
    archive = tmp_path / "AllPublicXML.zip"
    chosen = sorted(sample_xml)[-15:]
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Contents.txt", "the registry's index of the archive\n")
        for nct_id in chosen:
            zf.writestr(f"{nct_id[:7]}xxxx/{nct_id}.xml", sample_xml[nct_id])
    run_trials("import", archive, "--data", tmp_path / "data")
    run_trials("build", "--data", tmp_path / "data")
    rows = query(tmp_path / "data", "select nct_id, source, source_url from trials order by 1")
    assert [(n, s) for n, s, _ in rows] == [(n, "ctgov_xml") for n in chosen]
    assert rows[0][2].endswith(f"AllPublicXML.zip!/{chosen[0][:7]}xxxx/{chosen[0]}.xml")
    assert query(imported_zip, "select count(*), count(distinct nct_id) from trials") == [(300, 300)]


def test_an_unknown_legacy_value_is_kept_raw_and_flagged(tmp_path, sample_xml):
    nct_id, xml = next((n, x) for n, x in sorted(sample_xml.items()) if b"<overall_status>Completed<" in x)
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / f"{nct_id}.xml").write_bytes(xml.replace(b"<overall_status>Completed<", b"<overall_status>On Hold<"))
    result = run_trials("import", folder, "--data", tmp_path / "data")
    assert "new 1" in result.stdout and "quarantined 0" in result.stdout
    run_trials("build", "--data", tmp_path / "data")
    assert query(tmp_path / "data", "select nct_id, overall_status, validation_flags from trials") == [
        (nct_id, "ON_HOLD", ["unknown_value:overall_status"])]


def test_a_trial_page_redirected_to_another_host_is_reported_not_followed(tmp_path, sample_xml):
    """robots.txt refusals are quiet; a trial page moved off the site is a fetch the run gave up."""
    kept, moved = sorted(sample_xml)[:2]
    elsewhere = []

    class Elsewhere(QuietHandler):
        def do_GET(self):
            elsewhere.append(self.path)
            self.send(200, b"<html><body>NCT ID: NCT00000000</body></html>", "text/html")

    class Site(QuietHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            if self.path.endswith(moved):
                self.send_response(301)
                self.send_header("Location", f"http://127.0.0.2:{other.server_address[1]}/trials/{moved}")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if self.path.endswith(kept):
                return self.send(200, render_trial_page(sample_xml[kept]), "text/html; charset=utf-8")
            links = "".join(f'<a href="/trials/{n}">{n}</a>' for n in (kept, moved))
            self.send(200, f"<html><body>{links}</body></html>".encode(), "text/html")

    with running(ThreadingHTTPServer(("127.0.0.2", 0), Elsewhere)) as other, \
            running(ThreadingHTTPServer(("127.0.0.1", 0), Site)) as site:
        result = run_trials("crawl", "pages", "--start-url", f"http://127.0.0.1:{site.server_address[1]}/",
                            "--data", tmp_path, "--delay", "0", check=False)
    assert elsewhere == []
    assert result.returncode == 1
    assert "fetched 1, new 1" in result.stdout
    assert f"/trials/{moved}: OffsiteRedirect('redirect to another host not followed" in result.stderr


def _rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_sitemap_of_a_million_urls_is_crawled_at_once_in_little_memory_and_stops_at_sigterm(tmp_path, sample_xml):
    """Issue 17 (13): the spider requests a sitemap's URLs a few at a time, not a million up front."""
    known = dict(sorted(sample_xml.items())[:3])
    urls = [*known, *(f"NCT{n:08d}" for n in range(1_000_000))]
    trial_requests = []

    class Site(QuietHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            if self.path == "/sitemap.xml":
                return self.send(200, sitemap, "application/xml")
            trial_requests.append(self.path)
            nct_id = self.path.rsplit("/", 1)[-1]
            if nct_id in known:  # the other 999,997 pages are not found: the run would not commit
                return self.send(200, render_trial_page(known[nct_id]), "text/html; charset=utf-8")
            self.send(404, b"<html><body>Not found</body></html>", "text/html")

    with running(ThreadingHTTPServer(("127.0.0.1", 0), Site)) as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   + "".join(f"<url><loc>{base}/trials/{n}</loc></url>" for n in urls) + "</urlset>").encode()
        crawl = subprocess.Popen([sys.executable, "-m", "trials", "crawl", "pages", "--start-url", f"{base}/sitemap.xml",
                                  "--data", str(tmp_path), "--delay", "0"], cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            started, peak = time.monotonic(), 0.0
            while len(trial_requests) < 50 and time.monotonic() - started < 60 and crawl.poll() is None:
                peak = max(peak, _rss_mib(crawl.pid))
                time.sleep(0.2)
            first_pages = time.monotonic() - started
            peak = max(peak, _rss_mib(crawl.pid))
            crawl.send_signal(signal.SIGTERM)
            stopping = time.monotonic()
            crawl.wait(timeout=60)
            stopped = time.monotonic() - stopping
        finally:
            if crawl.poll() is None:
                crawl.kill()
    assert len(trial_requests) >= 50 and first_pages < 30, (len(trial_requests), first_pages)
    assert set(trial_requests) <= {f"/trials/{n}" for n in urls}
    assert peak < 600, f"{peak:.0f} MiB"
    assert stopped < 20, f"{stopped:.1f} s after SIGTERM"
