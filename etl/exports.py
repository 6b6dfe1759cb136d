"""Imports a registry's export file: the WHO ICTRP portal's XML or CSV, an EU register full-text
download, or a saved EU register protocol page. The file's content says which it is; the export is cut into one record per trial (per
country record for the EU register), which etl/bulk.py stores as one run like any import.

An export that breaks off (a truncated XML) keeps the trials read before the break and quarantines
the file whole with the reason, so nothing is lost and the run says so.
"""
from pathlib import Path

from trials.etl import euctr, ictrp
from trials.etl.record import ParseError, Unreadable
from trials.etl.store import utc_now

SNIFF_BYTES = 4096


def export_source(path):
    """`ictrp_xml`, `ictrp_csv`, `euctr_text` or `euctr_page` when the file is such an export, else None."""
    path = Path(path)
    if not path.is_file():
        return None
    with open(path, "rb") as file:
        head = file.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf")
    if b"<Trials_downloaded_from_ICTRP" in head:
        return "ictrp_xml"
    if head.startswith(b"TrialID,") or head.startswith(b'"TrialID",'):
        return "ictrp_csv"
    if b"\nEudraCT Number:" in head or head.startswith(b"EudraCT Number:"):
        return "euctr_text"
    if b"<html" in head.lower() and b"Clinical Trials Register" in head:
        return "euctr_page"
    return None


SPLITTERS = {"ictrp_xml": ictrp.split_xml, "ictrp_csv": ictrp.split_csv, "euctr_text": euctr.split_text,
             "euctr_page": lambda data: [data]}


def split_export(source, data):
    """The export's records as bodies, and the reason it broke off (None when read whole)."""
    try:
        return SPLITTERS[source](data), None
    except ictrp.ExportBroken as exc:
        return exc.trials, str(exc)
    except ParseError as exc:
        return [], str(exc)


def export_records(path, source):
    """The export's records as (source, url, fetched_at, body), one per trial (per country record for
    the EU register); an export that broke off ends with the whole file as an Unreadable record."""
    path = Path(path).resolve()
    data = path.read_bytes()
    bodies, broken = split_export(source, data)
    uri = path.as_uri()
    records = [(source, f"{uri}#{number}", utc_now(), body) for number, body in enumerate(bodies, 1)]
    if broken:
        records.append((source, uri, utc_now(), Unreadable("read", broken, data)))
    return records
