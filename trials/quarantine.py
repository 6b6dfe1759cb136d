"""`trials quarantine`: the records a run could not keep, read straight from the committed runs.

It reads the runs' Parquet, not the warehouse, so it works before a build and when a build fails,
which is when quarantined records matter most. The rows are the warehouse's `quarantine` model.
Payloads and reasons are fetched text: their terminal control characters are printed as escapes.
"""
import duckdb

from trials.query import printable
from trials.warehouse.build import SQL_DIR
from trials.warehouse.raw import load_raw

COLUMNS = ("run_id", "source", "stage", "url", "reason", "payload")


def quarantined(data_dir, limit=None):
    """Quarantined records of every committed run, newest run first, as tuples of COLUMNS."""
    con = duckdb.connect()
    try:
        load_raw(con, data_dir)
        model = (SQL_DIR / "models" / "quarantine.sql").read_text()
        return con.execute(f"select {', '.join(COLUMNS)} from ({model}) order by run_id desc, url "
                           f"limit {int(limit) if limit else 'all'}").fetchall()
    finally:
        con.close()


def quarantine_lines(rows, width=60):
    """One tab-separated line per record, payload cut to `width` characters on one line."""
    def cell(value, cut=None):
        text = printable(" ".join(str(value).split())) if value is not None else ""
        return text if cut is None or len(text) <= cut else text[: cut - 1] + "…"
    return ["\t".join(COLUMNS)] + ["\t".join([*map(cell, row[:-1]), cell(row[-1], width)]) for row in rows]
