"""Every run records the date its data describes (its as-of date), and the build carries it to the trials."""
import json
import zipfile

import pytest

from conftest import query, run_trials
from trials.api_server import ApiHandler, LocalApi, serve
from trials.cli import parser
from trials.etl.bulk import import_path
from trials.warehouse.build import build


def manifests(data):
    return [json.loads(p.read_text()) for p in sorted(data.glob("runs/*/manifest.json"))]


class NoVersionHandler(ApiHandler):
    def do_GET(self):
        if self.path.startswith("/api/v2/version"):
            return self.send(404, b'{"error": "no such endpoint"}')
        super().do_GET()


class NoVersionApi(LocalApi):
    handler = NoVersionHandler


def test_a_crawl_without_a_registry_date_is_dated_by_the_day_it_finished(tmp_path, sample_studies):
    with serve(sample_studies, NoVersionApi) as api:
        out = run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0",
                         "--max-records", "5").stdout
    assert "fetched 5, new 5" in out and "errors" not in out
    (manifest,) = manifests(tmp_path)
    assert manifest["as_of"] is None
    run_trials("build", "--data", tmp_path)
    assert query(tmp_path, "select as_of::varchar from runs") == [(manifest["finished_at"][:10],)]


def test_an_import_is_dated_by_its_newest_update_or_the_date_given(tmp_path, sample_studies, capsys):
    bulk = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(bulk, "w") as zf:
        for nct_id, body in sample_studies.items():
            zf.writestr(f"{nct_id}.json", body)
    newest = max(json.loads(b)["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
                 for b in sample_studies.values())
    run_trials("import", bulk, "--data", tmp_path / "a")
    import_path(bulk, tmp_path / "b", workers=2)
    run_trials("import", bulk, "--data", tmp_path / "c", "--as-of", "2025-01-31")
    assert [m["as_of"] for d in "abc" for m in manifests(tmp_path / d)] == [newest, newest, "2025-01-31"]
    with pytest.raises(SystemExit) as refused:
        parser().parse_args(["import", str(bulk), "--as-of", "2025-02-30"])
    assert refused.value.code == 2 and "expected a date as YYYY-MM-DD" in capsys.readouterr().err


def test_crawls_are_dated_by_the_registry_and_a_later_complete_one_vouches_for_unchanged_trials(
        tmp_path, sample_studies):
    studies = dict(sorted(sample_studies.items())[:20])
    changed = sorted(studies)[0]
    with serve(studies, data_timestamp="2026-01-05T09:00:00") as api:
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0")
        api.data_timestamp = "2026-03-05T09:00:00"
        run_trials("crawl", "ctgov", "--base-url", api.base_url, "--data", tmp_path, "--delay", "0", "--since", "auto")
    assert [m["as_of"] for m in manifests(tmp_path)] == ["2026-01-05", "2026-03-05"]
    build(tmp_path)
    assert query(tmp_path, "select as_of_date::varchar, count(*) from calculated_values group by 1") == [("2026-03-05", 20)]
    # an import vouches only for what it stored
    study = json.loads(studies[changed])
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-06-01"}
    (tmp_path / f"{changed}.json").write_text(json.dumps(study))
    import_path(tmp_path / f"{changed}.json", tmp_path, as_of="2026-06-02")
    build(tmp_path)
    assert query(tmp_path, "select nct_id, as_of_date::varchar from calculated_values where as_of_date > '2026-03-05'") \
        == [(changed, "2026-06-02")]
