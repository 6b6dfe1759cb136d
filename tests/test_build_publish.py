"""The build as a scheduled pipeline meets it: model order from what the SQL reads, one build at a time
with readers never locked out, the warehouse and the marts published together whatever kills the
build, and dates that do not depend on the builder's time zone."""
import datetime as dt
import re
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import REPO, query, run_trials
from trials.etl.batch import parse_batch
from trials.etl.store import RunWriter
from trials.etl.validate import VOCABULARY_COLUMNS
from trials.warehouse.build import LAYERS, SQL_DIR, coded_values_sql, references, sql_files

MARTS = sorted(path.stem for path in (SQL_DIR / "marts").glob("*.sql"))


def mart_names(data):
    return sorted(p.name.removesuffix(".parquet") for p in (data / "marts").iterdir())


def unpublished(data):
    """What a build leaves that no reader should find: temporary files and marts not published."""
    return sorted(p.name for p in data.iterdir() if ".tmp" in p.name or p.name.startswith("marts.")
                  and p != (data / "marts").resolve())


def test_model_order_follows_what_the_sql_reads_not_its_comments(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / "a_first.sql").write_text("-- counts the rows of b_later's source, not of b_later\n"
                                        "select 'b_later' as label, count(*) as n from raw.trials")
    (models / "b_later.sql").write_text("select * from a_first join (select 1 as n) using (n)")
    (models / "c_own_cte.sql").write_text("with b_later as (select 1 as x) select * from b_later")
    # a regex over the text sees a_first name b_later and b_later name a_first: a cycle
    assert references((models / "a_first.sql").read_text()) == {"raw.trials"}
    assert references((models / "c_own_cte.sql").read_text()) == set()
    assert [p.stem for p in sql_files("models", tmp_path)] == ["a_first", "c_own_cte", "b_later"]


@pytest.mark.parametrize("layer", [layer for layer, _ in LAYERS] + ["tests"])
def test_each_shipped_model_comes_after_the_models_it_reads(layer):
    ordered = [path.stem for path in sql_files(layer)]
    for at, path in enumerate(sql_files(layer)):
        assert references(path.read_text()) & set(ordered) <= set(ordered[:at])


def test_two_builds_at_once_one_waits_and_readers_are_never_locked_out(crawled_sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data, symlinks=True)  # DIR/marts stays the link a build made
    builds = [subprocess.Popen([sys.executable, "-m", "trials", "build", "--data", str(data)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    reads = 0
    while any(build.poll() is None for build in builds):
        con = duckdb.connect(str(data / "trials.warehouse.duckdb"), read_only=True)  # raises on a lock
        assert con.execute("select count(*) from trials").fetchone() == (300,)
        con.close()
        assert mart_names(data) == MARTS
        reads += 1
    outcomes = [(build.returncode, build.stderr.read()) for build in builds]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert sum("trials: waiting for the build of" in err for _, err in outcomes) == 1, outcomes
    assert reads > 0 and mart_names(data) == MARTS and unpublished(data) == []


def test_a_killed_build_then_a_failed_one_leave_the_previous_warehouse_and_marts(crawled_sample, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(crawled_sample, data, symlinks=True)  # DIR/marts stays the link a build made
    before = query(data, "select count(*) from trials")
    for delay in (0.3, 0.9, 1.5):
        build = subprocess.Popen([sys.executable, "-m", "trials", "build", "--data", str(data)], cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert query(data, "select count(*) from trials") == before and mart_names(data) == MARTS
    broken = data / "runs" / "99999999T000000Z-broken"
    shutil.copytree(next((data / "runs").iterdir()), broken)
    (broken / "trials.parquet").write_bytes(b"PAR1 this is not parquet")
    assert run_trials("build", "--data", data, check=False).returncode == 1
    assert [name for name in unpublished(data) if ".tmp" in name] == [], "no .tmp or .tmp.wal is left"
    assert query(data, "select count(*) from trials") == before and mart_names(data) == MARTS
    shutil.rmtree(broken)
    run_trials("build", "--data", data)
    assert unpublished(data) == [] and mart_names(data) == MARTS


def test_valid_from_is_the_utc_date_whatever_the_builders_time_zone(tmp_path, sample_xml):
    """A version without a last update date is valid from its fetch date: the UTC one."""
    fetched = {"early": dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.timezone.utc),  # Dec 31 in New York
               "late": dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.timezone.utc)}  # Jan 2 in Tokyo
    undated = re.compile(rb"<(last_update_posted|lastchanged_date)[^>]*>.*?</\1>", re.S)
    chosen = dict(zip(fetched, list(sample_xml.items())[:2]))
    data = tmp_path / "data"
    raw = [("ctgov_xml", f"file:///{nct_id}.xml", fetched[label], undated.sub(b"", body))
           for label, (nct_id, body) in chosen.items()]
    with RunWriter(data, source="import") as writer:
        writer.add_batch(parse_batch(raw, writer.run_id, writer.next_record))
    for zone in ("America/New_York", "Asia/Tokyo"):
        run_trials("build", "--data", data, env={"TZ": zone})
        rows = dict(query(data, "select nct_id, valid_from from trial_versions"))
        assert rows == {nct_id: dt.date(2026, 1, 1) for nct_id, _ in chosen.values()}, zone


def test_every_vocabulary_column_of_the_parsers_is_checked_in_the_warehouse(crawled_sample, tmp_path):
    """accepted_values reads the columns from etl/validate.py, so a column added there is checked."""
    copy = tmp_path / "trials.warehouse.duckdb"
    shutil.copy(crawled_sample / "trials.warehouse.duckdb", copy)
    con = duckdb.connect(str(copy))
    for column in VOCABULARY_COLUMNS:
        table, _, name = column.rpartition(".")
        value = f"['not:{column}']" if name == "phases" else f"'not:{column}'"
        con.execute(f"update {table or 'trials'} set {name} = {value} "
                    f"where rowid = (select min(rowid) from {table or 'trials'} where {name} is not null)")
    con.execute(coded_values_sql())
    unknown = con.execute((SQL_DIR / "tests" / "accepted_values.sql").read_text()).fetchall()
    con.close()
    assert sorted(value for _, value, _ in unknown) == sorted(f"not:{column}" for column in VOCABULARY_COLUMNS)
