"""The marts' Parquet holds what the warehouse holds, partitioned on stable codes, for any reader."""
from urllib.parse import unquote

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import query
from trials.warehouse.build import SQL_DIR, mart_partition

MARTS = sorted(path.stem for path in (SQL_DIR / "marts").glob("*.sql"))


def test_partitioned_marts_have_one_folder_per_code(crawled_sample):
    assert mart_partition(SQL_DIR / "marts" / "mart_trial_sites.sql") == "country_code"
    folders = {unquote(p.name.split("=", 1)[1]) for p in (crawled_sample / "marts" / "mart_trial_sites").iterdir()}
    countries = {c for (c,) in query(crawled_sample, "select distinct country_code from sites where country_code is not null")}
    assert folders == countries and {"US", "DE", "KR"} <= folders
    folders = {unquote(p.name.split("=", 1)[1]) for p in
               (crawled_sample / "marts" / "mart_trials_by_condition_phase_status").iterdir()}
    assert {"PHASE1/PHASE2", "PHASE3", "NA", "__HIVE_DEFAULT_PARTITION__"} <= folders


@pytest.mark.parametrize("mart", MARTS)
def test_duckdb_and_pyarrow_read_the_rows_of_the_warehouse(crawled_sample, mart):
    column = mart_partition(SQL_DIR / "marts" / f"{mart}.sql")
    path = crawled_sample / "marts" / (mart if column else f"{mart}.parquet")
    warehouse = query(crawled_sample, f"select * from {mart}")
    names = [n for (n,) in query(crawled_sample, "select column_name from information_schema.columns "
                                                 "where table_name = ? order by ordinal_position", [mart])]

    table = ds.dataset(path, partitioning="hive" if column else None).to_table()
    assert sorted(table.column_names) == sorted(names)
    from_arrow = [tuple(row[n] for n in names) for row in table.to_pylist()]
    assert sorted(map(repr, from_arrow)) == sorted(map(repr, warehouse))

    glob = f"{path}/**/*.parquet" if column else str(path)
    con = duckdb.connect()
    hive = f", hive_partitioning = true, hive_types = {{'{column}': 'VARCHAR'}}" if column else ""
    from_duckdb = con.execute(f"select {', '.join(names)} from read_parquet('{glob}'{hive})").fetchall()
    assert sorted(map(repr, from_duckdb)) == sorted(map(repr, warehouse))
    if not column:
        assert pq.read_schema(path).names == names


def test_mart_numbers_agree_with_the_models(crawled_sample):
    assert query(crawled_sample, "select sum(sites) from mart_sites_by_country") == \
        query(crawled_sample, "select count(*) from sites where country is not null")
    assert query(crawled_sample, "select count(*) from mart_trial_sites") == query(crawled_sample, "select count(*) from sites")
    assert query(crawled_sample, "select sum(trials) from mart_trials_started_by_year_phase") == \
        query(crawled_sample, "select count(*) from trials where start_date is not null")
    types = dict(query(crawled_sample, "select column_name, data_type from information_schema.columns "
                                       "where table_name = 'mart_sponsor_portfolio'"))
    assert types["enrollment"] == "BIGINT"  # a stable Parquet int64, not DuckDB's HUGEINT sum
