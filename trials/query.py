"""`trials sql`: queries against the warehouse, printed as a table, CSV or JSON, with nothing written.

The build writes a new warehouse beside the old one and renames it into place, so a reader never
blocks a build nor sees a half-built warehouse: it reads the file that was there when it connected.

The connection is read-only and shut off from everything but the warehouse: DuckDB's
`enable_external_access = false` refuses every file and network access (COPY, EXPORT, ATTACH,
read_text/read_csv/glob of any path, INSTALL and LOAD of extensions), extensions never auto-install
or auto-load, and `lock_configuration` keeps a query from turning any of it back on with SET.

Registry text can hold terminal control characters (an ESC sequence can rewrite the screen or the
window title): everything printed for a human goes through `printable`, which shows them as escapes.
"""
import csv
import datetime as dt
import decimal
import io
import json
import re
from pathlib import Path

import duckdb

MAX_CELL = 60  # table output only; --csv and --json print values whole

# What a query can never change: the settings are locked after these are applied.
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,
}

# C0 controls but tab and newline, DEL, C1 controls (0x9b alone starts a CSI sequence on some terminals),
# and the bidirectional overrides and isolates, which reorder what the reader sees.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class NoWarehouse(RuntimeError):
    pass


class EmptyQuery(ValueError):
    pass


def printable(text):
    """`text` with its control characters shown as escapes (`\\x1b`), safe to write to a terminal."""
    return CONTROL.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                       text)


def connect(data_dir):
    """A read-only connection to DIR/trials.warehouse.duckdb that can reach nothing else."""
    path = Path(data_dir) / "trials.warehouse.duckdb"
    if not path.is_file():
        raise NoWarehouse(f"no warehouse at {path}; run `trials build` first")
    return duckdb.connect(str(path), read_only=True, config=LOCKED_DOWN)


def statements(sql):
    """The SQL statements of `sql`, in order; EmptyQuery when there is none (blank, `;`, comments)."""
    found = duckdb.connect().extract_statements(sql)
    if not found:
        raise EmptyQuery("the query is empty: give SQL as an argument, with -f FILE, or on standard input")
    return [statement.query.strip() for statement in found]


def run_queries(data_dir, sql):
    """(column names, rows) of each statement of `sql`, yielded as each one runs.

    A statement that fails raises duckdb.Error after the results of the ones before it."""
    parts = statements(sql)
    con = connect(data_dir)
    try:
        for part in parts:
            cursor = con.execute(part)
            if cursor.description is None:
                yield [], []
            else:
                yield [d[0] for d in cursor.description], cursor.fetchall()
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
    text = printable(" ".join(text.split()))
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def as_table(columns, rows):
    """Aligned columns: numbers to the right, everything else to the left, a row count below."""
    if not columns:
        return "(done, no result)"
    columns = [printable(c) for c in columns]
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


def as_csv(columns, rows, terminal=False):
    """CSV with every value whole; on a terminal, control characters are shown as escapes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([json.dumps(_plain(v)) if isinstance(v, (list, dict)) else v for v in row] for row in rows)
    text = buffer.getvalue().rstrip("\n")
    return printable(text) if terminal else text


def as_json(columns, rows):
    """JSON records; control characters are written as \\u escapes, which JSON reads back as they were."""
    text = json.dumps([dict(zip(columns, map(_plain, row))) for row in rows], indent=2, ensure_ascii=False)
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
