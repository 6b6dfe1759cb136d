"""`trials reparse`: every stored version's tables derived again from its stored source document.

No network: each committed run's `documents.parquet` is parsed again with today's parsers and SQL
(etl/batch.py), each record keeping its record id, source, URL and fetch time, so versions and history
stay what they were while their tables (and content hashes) become what today's code makes of them.

All or nothing: the new runs are written beside the old ones (`runs.reparse/`, files that do not
change hard-linked) and swapped in with one atomic exchange of the two directories; a record that no
longer parses stops the reparse with the old runs untouched. Runs stored before documents were kept
have none to parse: they are kept as they are, and the summary says how many versions that is.
"""
import contextlib
import ctypes
import fcntl
import os
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trials.etl.batch import parse_records
from trials.etl.schemas import TABLES
from trials.etl.store import RunLocked

# The parser each stored format is read by (a mirror page is stored as the XML it rebuilds).
READ_AS = {"json": "ctgov_api", "xml": "ctgov_xml"}
BATCH = 2000


class ReparseFailed(RuntimeError):
    """A stored document no longer parses; nothing was changed."""


def reparse(data_dir):
    """Re-derive every documented version of the data directory's runs; returns the summary (a dict)."""
    data_dir = Path(data_dir)
    runs, new = data_dir / "runs", data_dir / "runs.reparse"
    summary = {"runs": 0, "versions": 0, "hashes_changed": 0, "runs_without_documents": 0,
               "versions_without_documents": 0, "rows_before": Counter(), "rows_after": Counter()}
    if not runs.is_dir():
        return summary
    with _locked(data_dir):
        shutil.rmtree(new, ignore_errors=True)
        try:
            for run_dir in sorted(path for path in runs.iterdir() if path.is_dir()):
                target = new / run_dir.name
                target.mkdir(parents=True)
                if not (run_dir / "manifest.json").is_file():
                    _link_rest(run_dir, target)  # an interrupted run: resumable as it is
                elif (run_dir / "documents.parquet").is_file():
                    _reparse_run(run_dir, target, summary)
                else:
                    _link_rest(run_dir, target)
                    summary["runs_without_documents"] += 1
                    if (run_dir / "trials.parquet").is_file():
                        summary["versions_without_documents"] += pq.ParquetFile(run_dir / "trials.parquet").metadata.num_rows
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        _exchange(runs, new)
        shutil.rmtree(new)
    return summary


def _reparse_run(run_dir, target, summary):
    old = pq.read_table(run_dir / "trials.parquet", columns=["record_id", "source", "source_url", "fetched_at",
                                                               "content_hash"])
    stored = {row["record_id"]: row for row in old.to_pylist()}
    writers, seen = {}, set()
    try:
        for batch in pq.ParquetFile(run_dir / "documents.parquet").iter_batches(BATCH, columns=["record_id", "format", "body"]):
            ids = batch.column("record_id").to_pylist()
            raw = [(READ_AS[kind], stored[record_id]["source_url"], stored[record_id]["fetched_at"], body.encode())
                   for record_id, kind, body in zip(ids, batch.column("format").to_pylist(), batch.column("body").to_pylist())]
            parsed = parse_records(raw, ids)
            if parsed.quarantine:
                refused = parsed.quarantine[0]
                raise ReparseFailed(f"{len(parsed.quarantine)} stored version(s) of run {run_dir.name} no longer parse "
                                    f"(first: {refused['url']}: {refused['reason']}); nothing was changed")
            seen.update(ids)
            summary["hashes_changed"] += sum(digest != stored[record_id]["content_hash"]
                                             for record_id, _, digest, _ in parsed.trials)
            trials = parsed.tables["trials"]
            sources = pa.array([stored[record_id]["source"] for record_id in trials["record_id"].to_pylist()], pa.string())
            parsed.tables["trials"] = trials.set_column(trials.schema.get_field_index("source"), "source", sources)
            for table, rows in parsed.tables.items():
                if table != "documents":
                    _write(writers, target, table, rows)
        undocumented = pa.array(sorted(stored.keys() - seen), pa.string())
        if len(undocumented):  # versions stored without a document keep their rows
            for table in TABLES:
                if table != "documents" and (run_dir / f"{table}.parquet").is_file():
                    rows = pq.read_table(run_dir / f"{table}.parquet")
                    _write(writers, target, table, rows.filter(pc.is_in(rows["record_id"], undocumented)))
    finally:
        for writer in writers.values():
            writer.close()
    for table in TABLES:
        if table != "documents" and (run_dir / f"{table}.parquet").is_file():
            summary["rows_before"][table] += pq.ParquetFile(run_dir / f"{table}.parquet").metadata.num_rows
        if (target / f"{table}.parquet").is_file():
            summary["rows_after"][table] += pq.ParquetFile(target / f"{table}.parquet").metadata.num_rows
    summary["runs"] += 1
    summary["versions"] += len(seen)
    summary["versions_without_documents"] += len(stored.keys() - seen)
    _link_rest(run_dir, target)


def _write(writers, target, table, rows):
    if rows.num_rows:
        if table not in writers:
            writers[table] = pq.ParquetWriter(target / f"{table}.parquet", TABLES[table])
        writers[table].write_table(rows.cast(TABLES[table]))


def _link_rest(run_dir, target):
    """Hard-link the run's files the target does not have (its manifest, quarantine, documents ...)."""
    for path in run_dir.iterdir():
        if path.is_file() and not (target / path.name).exists():
            with contextlib.suppress(OSError):
                os.link(path, target / path.name)
                continue
            shutil.copy2(path, target / path.name)


@contextlib.contextmanager
def _locked(data_dir):
    """The data directory's run lock, held as a run holds it: no run writes while the runs are replaced."""
    with open(data_dir / "run.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            raise RunLocked(f"another run is writing to {data_dir} ({lock.read().strip() or 'another process'}); "
                            "try again when it ends") from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()}, run reparse\n")
        lock.flush()
        yield


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


def _exchange(old, new):
    """Swap the two directories in one step (Linux renameat2 RENAME_EXCHANGE): a reader sees all the
    old runs or all the new. Where the call is missing, two renames, with a moment without `old`."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, os.fsencode(old), _AT_FDCWD, os.fsencode(new),
                                           _RENAME_EXCHANGE) == 0:
        return
    parked = old.with_name(old.name + ".old")
    os.rename(old, parked)
    os.rename(new, old)
    os.rename(parked, new)
