"""`trials import --workers`: parallel parsing writes the same run as one process, and dedups the same."""
import duckdb

from etl.ctgov_json import parse_study
from etl.record import content_hash
from etl.schemas import TABLES
from tests.conftest import run_trials
from trials.samples import CTGOV_V2_SAMPLE


def table_contents(data_dir):
    """Every table's rows without the run-specific columns, in a stable order."""
    con = duckdb.connect()
    contents = {}
    for table, schema in TABLES.items():
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


def test_content_hash_ignores_key_order_and_fetch_columns(sample_studies):
    record = parse_study(sample_studies["NCT00080808"])
    digest = content_hash(record)
    reordered = {table: [dict(reversed(list(row.items()))) for row in rows] for table, rows in record.items()}
    reordered["trials"][0].update(source="x", source_url="y", fetched_at="z", record_id="r")
    assert content_hash(reordered) == digest
    record["sites"][0]["status"] = "COMPLETED" if record["sites"][0]["status"] != "COMPLETED" else "RECRUITING"
    assert content_hash(record) != digest


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
