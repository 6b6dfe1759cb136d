"""`trials sql`: one query against the warehouse, opened read-only, printed as a table, CSV or JSON.

The build writes a new warehouse beside the old one and renames it into place, so a reader never
blocks a build nor sees a half-built warehouse: it reads the file that was there when it connected.
"""
import csv
import datetime as dt
import decimal
import io
import json
from pathlib import Path

import duckdb

MAX_CELL = 60  # table output only; --csv and --json print values whole


class NoWarehouse(RuntimeError):
    pass


def connect(data_dir):
    """A read-only connection to DIR/warehouse.duckdb."""
    path = Path(data_dir) / "trials.warehouse.duckdb"
    if not path.is_file():
        raise NoWarehouse(f"no warehouse at {path}; run `trials build` first")
    return duckdb.connect(str(path), read_only=True)


def run_query(data_dir, sql):
    """(column names, rows) of one query."""
    con = connect(data_dir)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.close()


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cell(value):
    if value is None:
        return "NULL"
    text = json.dumps(_plain(value)) if isinstance(value, (list, dict)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def as_table(columns, rows):
    """Aligned columns: numbers to the right, everything else to the left, a row count below."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(isinstance(r[i], (int, float, decimal.Decimal)) and not isinstance(r[i], bool)
                                  for r in rows if r[i] is not None) for i in range(len(columns))]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths), *(line(r) for r in cells)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def as_csv(columns, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([json.dumps(_plain(v)) if isinstance(v, (list, dict)) else v for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def as_json(columns, rows):
    return json.dumps([dict(zip(columns, map(_plain, row))) for row in rows], indent=2, ensure_ascii=False)


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
