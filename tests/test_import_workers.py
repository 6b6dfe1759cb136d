"""`trials import --workers`: parallel parsing writes the same run as one process, and dedups the same."""
import datetime as dt
import json
from pathlib import Path

import duckdb

from trials.etl.batch import parse_batch
from trials.etl.schemas import TABLES
from tests.conftest import run_trials
from trials.samples import CTGOV_V2_SAMPLE

FETCHED = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)
LATER = FETCHED + dt.timedelta(days=3)


def table_contents(data_dir):
    """Every table's rows without the run-specific columns, in a stable order."""
    con = duckdb.connect()
    contents = {}
    for table, schema in TABLES.items():
        if not list(Path(data_dir).glob(f"runs/*/{table}.parquet")):  # a table this source has no rows in
            contents[table] = []
            continue
        columns = ", ".join(c for c in schema.names if c not in ("record_id", "fetched_at"))
        contents[table] = con.execute(
            f"select {columns}, split_part(record_id, '/', 2)::int as n "
            f"from read_parquet('{data_dir}/runs/*/{table}.parquet') order by all").fetchall()
    return contents


def test_workers_write_what_one_process_writes(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    first = run_trials("import", CTGOV_V2_SAMPLE, "--data", one).stdout
    assert "fetched 300, new 300, changed 0, unchanged 0, quarantined 0" in first
    second = run_trials("import", CTGOV_V2_SAMPLE, "--data", two, "--workers", "2").stdout
    assert "fetched 300, new 300, changed 0, unchanged 0, quarantined 0" in second
    single, parallel = table_contents(one), table_contents(two)
    assert single == parallel
    assert len(single["trials"]) == 300 and len(single["outcomes"]) > 300
    again = run_trials("import", CTGOV_V2_SAMPLE, "--data", two, "--workers", "2").stdout
    assert "fetched 300, new 0, changed 0, unchanged 300, quarantined 0" in again


def test_content_hash_ignores_fetch_columns_and_sees_every_value(sample_studies):
    body = sample_studies["NCT00080808"]
    study = json.loads(body)
    sites = study["protocolSection"]["contactsLocationsModule"]["locations"]
    sites[0]["status"] = "COMPLETED" if sites[0].get("status") != "COMPLETED" else "RECRUITING"
    site_status = json.dumps(study).encode()
    sites[0]["city"], sites[0]["state"] = sites[0]["city"] + (sites[0].get("state") or ""), ""
    moved = json.dumps(study).encode()  # the same characters, one column over
    fetched = [("ctgov_bulk", "file:///a.json", FETCHED, body), ("ctgov_api", "http://127.0.0.1/b", LATER, body),
               ("ctgov_bulk", "u", FETCHED, site_status), ("ctgov_bulk", "u", FETCHED, moved)]
    hashes = parse_batch(fetched, "r", 1).tables["trials"]["content_hash"].to_pylist()
    assert hashes[0] == hashes[1] and len(set(hashes[1:])) == 3
    assert parse_batch(fetched[:1], "other", 9).tables["trials"]["content_hash"].to_pylist() == hashes[:1]


def test_workers_quarantine_what_does_not_parse(tmp_path, sample_studies):
    folder = tmp_path / "studies"
    folder.mkdir()
    for nct_id, body in list(sample_studies.items())[:40]:
        (folder / f"{nct_id}.json").write_bytes(body)
    (folder / "NCT99999999.json").write_bytes(b'{"protocolSection": {"identificationModule": ')
    out = run_trials("import", folder, "--data", tmp_path / "data", "--workers", "2").stdout
    assert "fetched 41, new 40, changed 0, unchanged 0, quarantined 1" in out
    [(url, stage, reason, payload)] = duckdb.connect().execute(
        f"select url, stage, reason, payload from '{tmp_path}/data/runs/*/quarantine.parquet'").fetchall()
    assert url.endswith("/NCT99999999.json") and stage == "parse" and reason.startswith("invalid JSON")
    assert payload == '{"protocolSection": {"identificationModule": '
