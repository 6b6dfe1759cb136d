"""Builds `DIR/trials.warehouse.duckdb` from every committed run and exports the marts.

The SQL lives in `sql/`: `staging/` views over the runs' Parquet, `models/` the analyst tables,
`marts/` the dashboard tables (each also written to `DIR/marts/<name>.parquet`), and `tests/`
assertions that must return no rows. A model runs after the models of its layer that its SQL reads
from (as DuckDB parses it: a name in a comment or a string is no reference).

One build at a time (`DIR/build.lock`; a second one waits for it). The build writes the warehouse to
a temporary file and the marts to a folder of their own, and publishes them only when every
assertion passes, so a failed or killed build leaves the previous warehouse and marts in place.
`DIR/marts` is a symbolic link to the build's marts folder, switched by one rename: a reader finds
the previous marts or the new ones, never none or half of them.
"""
import fcntl
import json
import os
import re
import shutil
import sys
import time
from importlib.resources import files
from pathlib import Path

import duckdb
import pyarrow as pa

from trials.etl import durable
from trials.etl.schemas import TABLES
from trials.etl.validate import VOCABULARY_COLUMNS
from trials.warehouse.raw import load_raw

# The SQL ships in the package (sql/ in the checkout), so an installed `trials` builds as a checkout does.
SQL_DIR = Path(files("trials.sql"))
LAYERS = (("staging", "view"), ("models", "table"), ("marts", "table"))
# A mart whose SQL has a `-- partition_by: <column>` line is exported as a hive-partitioned folder.
PARTITION_BY = re.compile(r"^--\s*partition_by:\s*(\w+)\s*$", re.MULTILINE)
# DuckDB takes 80% of RAM by default and keeps what it read cached up to that; a bound keeps a
# registry-scale build near 2 GiB (it spills to disk past it, a little slower), not ~3 GiB and growing.
BUILD_MEMORY = "2GB"
# Dates cut from timestamps (a version's valid_from) are UTC dates, whatever the builder's zone.
BUILD_TIME_ZONE = "UTC"


class BuildFailed(RuntimeError):
    """An assertion returned rows, or a model did not run."""


def references(sql):
    """The tables and views a SELECT reads from, as DuckDB parses it (its own CTEs left out)."""
    parsed = json.loads(duckdb.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    if parsed["error"]:
        raise BuildFailed(f"cannot parse: {parsed['error_message']}")
    tables, ctes = set(), set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                tables.add(node["table_name"] if not node.get("schema_name") else
                           f"{node['schema_name']}.{node['table_name']}")
            ctes.update(entry["key"] for entry in node.get("cte_map", {}).get("map", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(parsed["statements"])
    return tables - ctes


def sql_files(layer, sql_dir=SQL_DIR):
    """A layer's SQL files, each after the ones of the same layer that it reads from."""
    pending = {path.stem: path for path in sorted((sql_dir / layer).glob("*.sql"))}
    needs = {}
    for name, path in pending.items():
        try:
            needs[name] = references(path.read_text()) & pending.keys() - {name}
        except BuildFailed as exc:
            raise BuildFailed(f"sql/{layer}/{path.name}: {exc}") from None
    ordered = []
    while pending:
        ready = [name for name in pending if not needs[name] & pending.keys()]
        if not ready:
            raise BuildFailed(f"models in sql/{layer} read each other in a cycle: {sorted(pending)}")
        ordered += [pending.pop(name) for name in ready]
    return ordered


def mart_partition(path):
    """The column a mart's Parquet is partitioned on, or None for a single file."""
    match = PARTITION_BY.search(path.read_text())
    return match.group(1) if match else None


def coded_values_sql():
    """`coded_values` (nct_id, col, vocabulary, value): every value of every coded column of the
    warehouse, from etl/validate.py's VOCABULARY_COLUMNS, which the parsers' checks read too."""
    arms = []
    for column, vocabulary in VOCABULARY_COLUMNS.items():
        table, _, name = column.rpartition(".")
        table = table or "trials"
        value = f"unnest({name})" if pa.types.is_list(TABLES[table].field(name).type) else name
        arms.append(f"select nct_id, '{column}' as col, '{vocabulary}' as vocabulary, {value} as value from {table}")
    return "create or replace temp view coded_values as\n" + "\nunion all ".join(arms)


def run_assertions(con):
    """Each `sql/tests/*.sql` must return no rows; returns the failures as readable lines."""
    con.execute(coded_values_sql())
    failures = []
    for path in sql_files("tests"):
        rows = con.execute(path.read_text()).fetchmany(5)
        if rows:
            failures.append(f"{path.stem}: {rows}")
    return failures


class _BuildLock:
    """`DIR/build.lock`, held for the whole build: a second build waits for the first (and says so)."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.file = open(data_dir / "build.lock", "a")

    def __enter__(self):
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"trials: waiting for the build of {self.data_dir} that is running", file=sys.stderr, flush=True)
            fcntl.flock(self.file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        self.file.close()  # releases the lock


def build(data_dir):
    """Build the warehouse; returns {table: rows}. Raises BuildFailed, leaving the old one in place."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise BuildFailed(f"no data directory {data_dir}: crawl or import into it first")
    with _BuildLock(data_dir):
        return _build(data_dir)


def _build(data_dir):
    target = data_dir / "trials.warehouse.duckdb"
    tmp = data_dir / "trials.warehouse.duckdb.tmp"
    _remove_temporary(data_dir)  # of a build killed before it published
    marts_dir = data_dir / f"marts.{time.time_ns()}"
    con = duckdb.connect(str(tmp), config={"memory_limit": os.environ.get("TRIALS_BUILD_MEMORY", BUILD_MEMORY)})
    try:
        con.execute(f"set TimeZone = '{BUILD_TIME_ZONE}'")  # (a connect option before ICU is loaded)
        load_raw(con, data_dir)
        for layer, kind in LAYERS:
            for path in sql_files(layer):
                try:
                    con.execute(f"create {kind} {path.stem} as {path.read_text()}")
                except duckdb.Error as exc:
                    raise BuildFailed(f"model {layer}/{path.name} failed: {exc}") from None
        failures = run_assertions(con)
        if failures:
            raise BuildFailed("assertion tests failed: " + "; ".join(failures))
        marts_dir.mkdir()
        for path in sql_files("marts"):
            column = mart_partition(path)
            if column:
                con.execute(f"copy {path.stem} to '{marts_dir / path.stem}' (format parquet, partition_by ({column}))")
            else:
                con.execute(f"copy {path.stem} to '{marts_dir / path.stem}.parquet' (format parquet)")
        for layer, kind in LAYERS[:1]:
            for path in sql_files(layer):
                con.execute(f"drop {kind} {path.stem}")
        con.execute("drop schema raw cascade")
        counts = {name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
                  for (name,) in con.execute("select table_name from information_schema.tables "
                                             "where table_type = 'BASE TABLE' order by 1").fetchall()}
        con.close()
    except BaseException:
        con.close()
        _remove_temporary(data_dir)
        shutil.rmtree(marts_dir, ignore_errors=True)
        raise
    _publish(data_dir, marts_dir, tmp, target)
    return counts


def _marts_folders(data_dir):
    return [path for path in data_dir.glob("marts.*") if path.is_dir() and not path.is_symlink()]


def _remove_temporary(data_dir):
    """The warehouse file of a build that did not publish it, and DuckDB's log of it."""
    for name in ("trials.warehouse.duckdb.tmp", "trials.warehouse.duckdb.tmp.wal"):
        (data_dir / name).unlink(missing_ok=True)


def _publish(data_dir, marts_dir, tmp, target):
    """Switch `DIR/marts` to the new marts, by renaming a link over it, then the warehouse into place;
    then remove the previous marts (and those of killed builds). A kill at any point leaves a
    warehouse and a full set of marts."""
    marts = data_dir / "marts"
    if marts.is_dir() and not marts.is_symlink():  # a folder of an earlier layout: kept, but aside
        marts.rename(data_dir / f"marts.{time.time_ns()}")
    link = data_dir / "marts.link.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(marts_dir.name)
    durable.fsync_tree(marts_dir)
    os.replace(link, marts)
    durable.replace(tmp, target)  # syncs the folder after, so the link's rename is durable too
    for folder in _marts_folders(data_dir):
        if folder != marts_dir:
            shutil.rmtree(folder, ignore_errors=True)
