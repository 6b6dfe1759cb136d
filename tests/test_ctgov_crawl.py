"""The real ctgov spider crawls the local API v2 stand-in; records land in the warehouse as the JSON says."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO, query, run_trials
from trials.etl.vocab import country_code
from trials.api_server import serve


def test_every_sample_record_lands_once(crawled_sample, sample_studies):
    rows = query(crawled_sample, "select nct_id from trials order by 1")
    assert [r[0] for r in rows] == sorted(sample_studies)
    assert query(crawled_sample, "select count(*) from quarantine") == [(0,)]
    (fetched, new, quarantined), = query(crawled_sample, "select fetched, new, quarantined from runs")
    assert (fetched, new, quarantined) == (len(sample_studies), len(sample_studies), 0)


def test_known_trials_hold_their_registry_values(crawled_sample):
    row = query(crawled_sample, """
        select phase, overall_status, lead_sponsor, lead_sponsor_class, enrollment, enrollment_type,
               start_date::varchar, start_date_precision, minimum_age_years, maximum_age_years
        from trials where nct_id = 'NCT00665496'""")
    assert row == [("PHASE3", "COMPLETED", "Bayer", "INDUSTRY", 732, "ACTUAL", "2003-06-01", "month", 18.0, None)]
    sites = query(crawled_sample, """
        select count(*), count(distinct country_code), list(distinct country_code order by country_code)
        from sites where nct_id = 'NCT00665496'""")
    assert sites == [(75, 11, ["CA", "DE", "ES", "FR", "GB", "IT", "NL", "NO", "PL", "SE", "US"])]
    assert query(crawled_sample, "select phase, phases from trials where nct_id = 'NCT00405041'") == [
        ("PHASE2/PHASE3", ["PHASE2", "PHASE3"])]
    assert query(crawled_sample, """
        select list(distinct country_code order by country_code) from sites where nct_id = 'NCT01106118'
        """) == [(["EG", "IL", "KG", "KR", "KZ", "LB", "RU", "SA", "SG", "UA"],)]


def test_every_trial_matches_its_json(crawled_sample, sample_studies):
    """Status, lead sponsor, phases, site and country counts of all 300 records, read from the JSON."""
    got = {r[0]: r[1:] for r in query(crawled_sample, """
        select t.nct_id, t.overall_status, t.lead_sponsor, t.phases, t.enrollment,
               (select count(*) from sites s where s.nct_id = t.nct_id),
               (select count(distinct country_code) from sites s where s.nct_id = t.nct_id)
        from trials t""")}
    for nct_id, body in sample_studies.items():
        p = json.loads(body)["protocolSection"]
        sites = p.get("contactsLocationsModule", {}).get("locations", [])
        expected = (
            p["statusModule"]["overallStatus"],
            p["sponsorCollaboratorsModule"]["leadSponsor"]["name"],
            p["designModule"].get("phases", []),
            p["designModule"].get("enrollmentInfo", {}).get("count"),
            len(sites),
            len({country_code(s["country"]) for s in sites if s.get("country")}),
        )
        assert got[nct_id] == expected, nct_id
    assert query(crawled_sample, "select count(*) from sites where country is not null and country_code is null") == [(0,)]


def test_paging_query_and_politeness(tmp_path, sample_studies):
    with serve(sample_studies, max_page_size=40) as api:
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                   "--query", "erectile dysfunction")
    paths = [path for path, _ in api.requests]
    assert paths[0] == "/api/v2/version"  # the registry's data date, first
    pages = [parse_qs(urlsplit(p).query) for p in paths[1:]]
    assert all(page["query.term"] == ["erectile dysfunction"] for page in pages)
    expected = sorted(n for n, b in sample_studies.items() if "erectile dysfunction" in b.decode().lower())
    assert len(pages) == -(-len(expected) // 40) and len(expected) > 40
    assert all(ua.startswith("trials/") for _, ua in api.requests)
    run_trials("build", "--data", tmp_path)
    assert [r[0] for r in query(tmp_path, "select nct_id from trials order by 1")] == expected


def test_since_asks_for_records_updated_since(tmp_path, sample_studies):
    with serve(sample_studies) as api:
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                   "--since", "2024-01-01")
    assert "filter.advanced=AREA%5BLastUpdatePostDate%5DRANGE%5B2024-01-01%2CMAX%5D" in api.requests[-1][0]
    run_trials("build", "--data", tmp_path)
    (count, oldest), = query(tmp_path, "select count(*), min(last_update_posted)::varchar from trials")
    assert oldest >= "2024-01-01"
    assert count == sum(json.loads(b)["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
                        >= "2024-01-01" for b in sample_studies.values())


def test_ids_and_max_records(tmp_path, sample_studies):
    with serve(sample_studies) as api:
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path / "ids", "--delay", "0",
                   "--ids", "NCT00665496,NCT00405041")
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path / "max", "--delay", "0",
                   "--max-records", "25")
        missing = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path / "gone",
                             "--delay", "0", "--ids", "NCT99999999", check=False)
    for name, count in (("ids", 2), ("max", 25)):
        run_trials("build", "--data", tmp_path / name)
        assert query(tmp_path / name, "select count(*) from trials") == [(count,)]
    assert missing.returncode == 1
    assert "1 fetch errors" in missing.stderr


def test_scrapy_crawl_runs_the_same_spider(tmp_path, sample_studies):
    import subprocess
    import sys

    with serve(sample_studies) as api:
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "ctgov", "-a", f"base_url={api.base_url}",
                        "-a", "max_records=10", "-s", f"TRIALS_DATA={tmp_path}", "-s", "DOWNLOAD_DELAY=0",
                        "-s", "LOG_LEVEL=WARNING"], cwd=REPO, check=True, timeout=120)
    run_trials("build", "--data", tmp_path)
    assert query(tmp_path, "select count(*), min(source) from trials") == [(10, "ctgov_api")]


@pytest.mark.parametrize("bad", ["not a number", "-3", "0"])
def test_bad_arguments_exit_non_zero(bad, tmp_path):
    result = run_trials("crawl", "ctgov", "--base-url", "http://127.0.0.1:9/api/v2", "--max-records", bad,
                        "--data", tmp_path, check=False)
    assert result.returncode == 2 and "--max-records" in result.stderr
    assert not (tmp_path / "runs").exists()
