"""The committed runs as DuckDB relations: `raw.<table>` views over their verified Parquet files, and
the `runs` and `vocabularies` tables. What the build's SQL, and `trials quarantine`, read.

A run is read only as its manifest says (etl/run_folders.py): a file it names that is missing, cut
short or a link is a CorruptRun naming the file, never a build that quietly lacks its rows.
"""
import json

import pyarrow as pa

from trials.etl.run_folders import committed
from trials.etl.schemas import QUARANTINE, TABLES
from trials.etl.vocab import VOCABULARIES


def load_raw(con, data_dir):
    """Create the `raw` schema's views, `runs` and `vocabularies` in `con`; returns how many runs."""
    runs = committed(data_dir)
    con.execute("create schema raw")
    # Each row carries the `run_id` of the run that stored it, from the manifests, not from file names.
    con.execute("create table raw.run_files (filename varchar, run_id varchar)")
    for table, schema in {**TABLES, "quarantine": QUARANTINE}.items():
        files = [(str(tables[table]), manifest["run_id"]) for _, manifest, tables in runs if table in tables]
        if files:
            con.executemany("insert into raw.run_files values (?, ?)", files)
            con.execute(f"create view raw.{table} as select * exclude (filename) "
                        f"from read_parquet({[name for name, _ in files]!r}, union_by_name = true, filename = true) "
                        f"join raw.run_files using (filename)")
        else:
            con.register("empty_run_table", schema.append(pa.field("run_id", pa.string())).empty_table())
            con.execute(f"create table raw.{table} as select * from empty_run_table")
            con.unregister("empty_run_table")
    manifests = [manifest for _, manifest, _ in runs]
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
             and t.run_id = runs.run_id),
            (finished_at at time zone 'UTC')::date) where as_of is null""")
    con.execute("create table vocabularies (vocabulary varchar, value varchar)")
    con.executemany("insert into vocabularies values (?, ?)",
                    [(name, value) for name, values in VOCABULARIES.items() for value in values])
    return len(runs)
