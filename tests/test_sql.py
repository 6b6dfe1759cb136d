"""`trials sql`: read-only queries printed as a table, CSV or JSON, while builds replace the warehouse."""
import csv
import io
import json
import shutil
import subprocess
import sys
import time

import duckdb

from conftest import REPO, query, run_trials

PHASES = "select coalesce(phase, 'NULL') as phase, count(*) as trials from trials group by all order by 1"


def test_table_output_is_aligned_and_holds_the_warehouse_counts(crawled_sample):
    out = run_trials("sql", PHASES, "--data", crawled_sample).stdout.splitlines()
    expected = query(crawled_sample, PHASES)
    assert out[0].split() == ["phase", "trials"]
    assert set(out[1]) == {"-", " "}
    assert [tuple(line.split()) for line in out[2:-1]] == [(p, str(n)) for p, n in expected]
    assert out[-1] == f"({len(expected)} rows)"
    # numbers are right-aligned under their header
    assert len({len(line) for line in out[2:-1]}) == 1 and out[0].endswith("trials")


def test_csv_and_json_carry_every_value(crawled_sample):
    sql = "select nct_id, phases, start_date, enrollment from trials order by nct_id limit 5"
    expected = query(crawled_sample, sql)
    rows = list(csv.reader(io.StringIO(run_trials("sql", sql, "--csv", "--data", crawled_sample).stdout)))
    assert rows[0] == ["nct_id", "phases", "start_date", "enrollment"]
    assert rows[1:] == [[n, json.dumps(p), str(d), "" if e is None else str(e)] for n, p, d, e in expected]
    records = json.loads(run_trials("sql", sql, "--json", "--data", crawled_sample).stdout)
    assert records == [{"nct_id": n, "phases": p, "start_date": str(d), "enrollment": e} for n, p, d, e in expected]


def test_writes_are_refused_with_one_line(crawled_sample):
    result = run_trials("sql", "delete from trials", "--data", crawled_sample, check=False)
    assert result.returncode == 1
    assert "read-only" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert query(crawled_sample, "select count(*) from trials") == [(300,)]
    missing = run_trials("sql", "select 1", "--data", crawled_sample / "nowhere", check=False)
    assert missing.returncode == 1 and "run `trials build` first" in missing.stderr


def test_readers_keep_working_while_a_build_replaces_the_warehouse(crawled_sample, sample_studies, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data)
    extra = tmp_path / "extra"
    extra.mkdir()
    nct_id, body = next(iter(sample_studies.items()))
    (extra / "NCT99999999.json").write_bytes(body.replace(nct_id.encode(), b"NCT99999999"))
    run_trials("import", extra, "--data", data)

    reader = duckdb.connect(str(data / "trials.warehouse.duckdb"), read_only=True)
    build = subprocess.Popen([sys.executable, "-m", "trials", "build", "--data", str(data)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reads_while_tmp_existed = 0
    while build.poll() is None:
        assert reader.execute("select count(*) from trials").fetchone() == (300,)
        reads_while_tmp_existed += (data / "trials.warehouse.duckdb.tmp").exists()
        time.sleep(0.005)
    assert build.returncode == 0, build.stderr.read()
    assert reads_while_tmp_existed > 0
    # the open reader still reads the warehouse it opened; a new reader sees the new build
    assert reader.execute("select count(*) from trials").fetchone() == (300,)
    reader.close()
    out = run_trials("sql", "select count(*) as n from trials", "--csv", "--data", data).stdout
    assert out.split() == ["n", "301"]
