"""Builds `DIR/warehouse.duckdb` from every committed run and exports the marts.

The SQL lives in `sql/`: `staging/` views over the runs' Parquet, `models/` the analyst tables,
`marts/` the dashboard tables (each also written to `DIR/marts/<name>.parquet`), and `tests/`
assertions that must return no rows. The build writes a temporary file and renames it only when every
assertion passes, so a failed build leaves the previous warehouse and marts in place.
"""
import json
import os
import re
import shutil
from importlib.resources import files
from pathlib import Path

import duckdb
import pyarrow as pa

from trials.etl.schemas import QUARANTINE, TABLES
from trials.etl.store import committed_runs, read_manifest
from trials.etl.vocab import VOCABULARIES

# The SQL ships in the package (sql/ in the checkout), so an installed `trials` builds as a checkout does.
SQL_DIR = Path(files("trials.sql"))
LAYERS = (("staging", "view"), ("models", "table"), ("marts", "table"))
# A mart whose SQL has a `-- partition_by: <column>` line is exported as a hive-partitioned folder.
PARTITION_BY = re.compile(r"^--\s*partition_by:\s*(\w+)\s*$", re.MULTILINE)
# DuckDB takes 80% of RAM by default and keeps what it read cached up to that; a bound keeps a
# registry-scale build near 2 GiB (it spills to disk past it, a little slower), not ~3 GiB and growing.
BUILD_MEMORY = "2GB"


class BuildFailed(RuntimeError):
    """An assertion returned rows, or a model did not run."""


def _sql_files(layer):
    """A layer's SQL files, each after the ones of the same layer that it names."""
    pending = {path.stem: path for path in sorted((SQL_DIR / layer).glob("*.sql"))}
    needs = {name: {other for other in pending if other != name
                    and re.search(rf"\b{other}\b", path.read_text())} for name, path in pending.items()}
    ordered = []
    while pending:
        ready = [name for name in pending if not needs[name] & pending.keys()]
        if not ready:
            raise BuildFailed(f"models in sql/{layer} name each other in a cycle: {sorted(pending)}")
        ordered += [pending.pop(name) for name in ready]
    return ordered


def mart_partition(path):
    """The column a mart's Parquet is partitioned on, or None for a single file."""
    match = PARTITION_BY.search(path.read_text())
    return match.group(1) if match else None


def _load_raw(con, data_dir):
    """`raw.<table>` views over the committed runs' Parquet files (empty tables when there are none)."""
    runs = committed_runs(data_dir)
    con.execute("create schema raw")
    for table, schema in {**TABLES, "quarantine": QUARANTINE}.items():
        files = [str(run / f"{table}.parquet") for run in runs if (run / f"{table}.parquet").exists()]
        if files:
            con.execute(f"create view raw.{table} as select * from read_parquet({files!r}, union_by_name = true, filename = true)")
        else:
            con.register("empty_run_table", schema.append(pa.field("filename", pa.string())).empty_table())
            con.execute(f"create table raw.{table} as select * from empty_run_table")
            con.unregister("empty_run_table")
    manifests = [read_manifest(run) for run in runs]
    con.execute("create table runs (run_id varchar, source varchar, since varchar, started_at timestamptz, "
                "finished_at timestamptz, fetched bigint, new bigint, changed bigint, unchanged bigint, "
                "quarantined bigint, errors varchar[], manifest json, as_of date)")
    if manifests:  # DuckDB's executemany refuses an empty list
        con.executemany("insert into runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (m["run_id"], m["source"], m["since"], m["started_at"], m["finished_at"],
             *(m["counts"][k] for k in ("fetched", "new", "changed", "unchanged", "quarantined")),
             m["errors"], json.dumps(m), m.get("as_of")) for m in manifests])
        # A run whose manifest has no as-of date (a crawl of a site without one, an older run): an
        # import's newest last update posted, else the UTC day it finished.
        con.execute("""update runs set as_of = coalesce(
            (select max(t.last_update_posted) from raw.trials as t where runs.source = 'import'
             and regexp_extract(t.filename, '([^/\\\\]+)[/\\\\]trials\\.parquet$', 1) = runs.run_id),
            (finished_at at time zone 'UTC')::date) where as_of is null""")
    con.execute("create table vocabularies (vocabulary varchar, value varchar)")
    con.executemany("insert into vocabularies values (?, ?)",
                    [(name, value) for name, values in VOCABULARIES.items() for value in values])
    return len(runs)


def run_assertions(con):
    """Each `sql/tests/*.sql` must return no rows; returns the failures as readable lines."""
    failures = []
    for path in _sql_files("tests"):
        rows = con.execute(path.read_text()).fetchmany(5)
        if rows:
            failures.append(f"{path.stem}: {rows}")
    return failures


def build(data_dir):
    """Build the warehouse; returns {table: rows}. Raises BuildFailed, leaving the old one in place."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise BuildFailed(f"no data directory {data_dir}: crawl or import into it first")
    target = data_dir / "trials.warehouse.duckdb"
    tmp = data_dir / "trials.warehouse.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    marts_tmp = data_dir / "marts.tmp"
    shutil.rmtree(marts_tmp, ignore_errors=True)
    con = duckdb.connect(str(tmp), config={"memory_limit": os.environ.get("TRIALS_BUILD_MEMORY", BUILD_MEMORY)})
    try:
        _load_raw(con, data_dir)
        for layer, kind in LAYERS:
            for path in _sql_files(layer):
                try:
                    con.execute(f"create {kind} {path.stem} as {path.read_text()}")
                except duckdb.Error as exc:
                    raise BuildFailed(f"model {layer}/{path.name} failed: {exc}") from None
        failures = run_assertions(con)
        if failures:
            raise BuildFailed("assertion tests failed: " + "; ".join(failures))
        marts_tmp.mkdir()
        for path in _sql_files("marts"):
            column = mart_partition(path)
            if column:
                con.execute(f"copy {path.stem} to '{marts_tmp / path.stem}' (format parquet, partition_by ({column}))")
            else:
                con.execute(f"copy {path.stem} to '{marts_tmp / path.stem}.parquet' (format parquet)")
        for layer, kind in LAYERS[:1]:
            for path in _sql_files(layer):
                con.execute(f"drop {kind} {path.stem}")
        con.execute("drop schema raw cascade")
        counts = {name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
                  for (name,) in con.execute("select table_name from information_schema.tables "
                                             "where table_type = 'BASE TABLE' order by 1").fetchall()}
        con.close()
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        shutil.rmtree(marts_tmp, ignore_errors=True)
        raise
    os.replace(tmp, target)
    marts = data_dir / "marts"
    old = data_dir / "marts.old"
    shutil.rmtree(old, ignore_errors=True)
    if marts.exists():
        marts.rename(old)
    marts_tmp.rename(marts)
    shutil.rmtree(old, ignore_errors=True)
    return counts
