"""Writes one run's parsed batches as Parquet under `DIR/runs/<run_id>/`, committed atomically.

It takes batches already parsed (etl/batch.py) and only writes. A run's rows go to numbered parts
(`<table>.part-NNNNN.parquet.tmp`). A checkpoint seals the open parts (rename) and then writes
`checkpoint.json`: the counts so far, the sealed parts with their row counts, and the crawler's
position, so a run killed at any point, SIGKILL included, can be resumed from its last checkpoint
with nothing lost or stored twice. Commit merges the parts into `<table>.parquet` and writes
`manifest.json` last, naming the files with their row counts: it is what marks a run as complete. A
build reads only complete runs, so a killed run leaves nothing a build would read. Every rename is
durable (etl/durable.py). Records whose content hash equals the latest stored version of the same
trial are counted as unchanged and not stored again. Reading run folders is etl/run_folders.py.
"""
import contextlib
import datetime as dt
import fcntl
import os
import secrets
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trials.etl import durable
from trials.etl.run_folders import (CorruptRun, latest_hashes, part_index, read_checkpoint, uncommitted_runs,
                                    verify_files)
from trials.etl.schemas import QUARANTINE, STR, TABLES


class RunLocked(RuntimeError):
    """Another run holds the data directory."""


def utc_now():
    return dt.datetime.now(dt.timezone.utc)


def _merge(parts, target):
    """Write the parts as one Parquet file; a single part (an import) gets a second name, no copy."""
    target.unlink(missing_ok=True)
    if len(parts) == 1:
        with contextlib.suppress(OSError):  # a file system without hard links gets the copy
            os.link(parts[0], target)
            return
    with pq.ParquetWriter(target, pq.read_schema(parts[0])) as merged:
        for part in parts:
            merged.write_table(pq.read_table(part))


class RunWriter:
    """Writes parsed batches into one run: `open()`, then `add_batch`, `checkpoint`, and `commit()` or
    `close()` (which keeps the last checkpoint for `--resume`); or use it as a context manager."""

    def __init__(self, data_dir, source, since=None, options=None, resume=None, as_of=None):
        """`resume`: the checkpoint (from `read_checkpoint`) of the uncommitted run to continue.
        `as_of`: the date (YYYY-MM-DD) the run's data describes, when the caller knows it; a caller
        that learns it during the run sets `manifest["as_of"]` before the commit."""
        self.data_dir = Path(data_dir)
        self.source = source
        self.started_at = utc_now()
        # Sortable to the microsecond: run order decides which stored version of a trial is the latest.
        self.run_id = self.started_at.strftime("%Y%m%dT%H%M%S%fZ-") + secrets.token_hex(3)
        self.run_dir = self.data_dir / "runs" / self.run_id
        self.manifest = {
            "run_id": self.run_id, "source": source, "since": since, "options": options or {}, "as_of": as_of,
            "started_at": self.started_at.isoformat(), "finished_at": None,
            "counts": {"fetched": 0, "new": 0, "changed": 0, "unchanged": 0, "quarantined": 0,
                       "flagged": 0, "fetch_errors": 0},
            "errors": [], "given_up": [],
        }
        self._lock = None
        self._quarantined = []
        self._writers = {}  # table -> (ParquetWriter of the open part, rows written to it)
        self._sealed = {}   # sealed part file name -> rows
        self._known = {}
        self._part = 0
        self._resume = resume
        if resume:
            self.manifest = resume["manifest"]
            self.manifest.setdefault("resumed_at", []).append(utc_now().isoformat())
            self.run_id = self.manifest["run_id"]
            self.run_dir = self.data_dir / "runs" / self.run_id

    def open(self):
        """Take the data directory's lock and start (or reopen) the run folder; returns self."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.data_dir / "run.lock", "a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.seek(0)
            holder = self._lock.read().strip() or "another process"
            self._lock.close()
            raise RunLocked(f"another run is writing to {self.data_dir} ({holder}); try again when it ends")
        try:
            self._lock.truncate(0)
            self._lock.write(f"pid {os.getpid()}, run {self.run_id}\n")
            self._lock.flush()
            uncommitted_runs(self.data_dir)  # refuses a link under runs/ before anything is written
            self._known = latest_hashes(self.data_dir)
            if self._resume:
                self._reopen()
            else:
                self.run_dir.mkdir(parents=True)
        except BaseException:
            self._lock.close()
            raise
        return self

    def __enter__(self):
        return self.open()

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()
        return False

    def close(self):
        """Release the run without committing: what was checkpointed stays for `--resume`; a run
        with no checkpoint (nothing anyone can resume) is removed with its files."""
        try:
            for writer, _ in self._writers.values():
                with contextlib.suppress(OSError):  # the disk may be full: the file goes anyway
                    writer.close()
            self._writers.clear()
            if self.run_dir.is_dir() and not self.run_dir.is_symlink():
                if not (self.run_dir / "manifest.json").exists() and not (self.run_dir / "checkpoint.json").exists():
                    shutil.rmtree(self.run_dir, ignore_errors=True)
                else:
                    for tmp in self.run_dir.glob("*.tmp"):
                        tmp.unlink(missing_ok=True)
        finally:
            self._lock.close()

    def _reopen(self):
        """Continue an uncommitted run from its checkpoint: keep its sealed parts, drop the rest."""
        if self.run_dir.is_symlink():
            raise CorruptRun(f"{self.run_dir} is a symbolic link; refused")
        on_disk = read_checkpoint(self.run_dir)
        if (self.run_dir / "manifest.json").exists() or on_disk is None \
                or on_disk["files"] != self._resume["files"] or on_disk["state"] != self._resume["state"]:
            raise RunLocked(f"run {self.run_id} changed since it was chosen for --resume; try again")
        self._part, self._sealed = on_disk["parts"], dict(on_disk["files"])
        verify_files(self.run_dir, self._sealed, "checkpoint.json")
        for path in sorted(self.run_dir.iterdir()):
            if path.name in self._sealed:
                if path.name.startswith("trials.part-"):
                    table = pq.read_table(path, columns=["nct_id", "content_hash"])
                    self._known.update(zip(table.column("nct_id").to_pylist(),
                                           table.column("content_hash").to_pylist()))
            elif path.name != "checkpoint.json":  # written after the checkpoint: fetched again
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()

    @property
    def counts(self):
        return self.manifest["counts"]

    @property
    def next_record(self):
        """The position in the run of the next record, for the record ids of the next batch."""
        return self.counts["fetched"] + 1

    def add_batch(self, batch):
        """Write a parsed batch (see `parse_batch`): its new and changed trials, its quarantined records;
        count the rest. If a write fails, the run must not be committed or checkpointed after it."""
        known = {}
        keep = []
        counts = dict.fromkeys(("new", "changed", "unchanged", "flagged"), 0)
        for record_id, nct_id, digest, flagged in batch.trials:
            previous = known.get(nct_id, self._known.get(nct_id))
            if previous == digest:
                counts["unchanged"] += 1
                continue
            counts["changed" if previous else "new"] += 1
            counts["flagged"] += flagged
            known[nct_id] = digest
            keep.append(record_id)
        for table, rows in batch.tables.items():
            if len(keep) < len(batch.trials):
                rows = rows.filter(pc.is_in(rows.column("record_id"), pa.array(keep, STR)))
            self._write(table, rows)
        # Counted once written: a write that failed above leaves the counts as they were.
        self.counts["fetched"] += batch.fetched
        for name, value in counts.items():
            self.counts[name] += value
        self._known.update(known)
        for row in batch.quarantine:
            self.quarantine(**row)

    def quarantine(self, source, url, fetched_at, stage, reason, payload=b""):
        self.counts["quarantined"] += 1
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="backslashreplace")
        self._quarantined.append({
            "source": source, "url": url, "fetched_at": fetched_at, "stage": stage,
            "reason": reason, "payload": payload,
        })

    def give_up(self, url, reason):
        """A fetch that failed for good after its retries: no payload, counted apart from records."""
        self.counts["fetch_errors"] += 1
        self.manifest["given_up"].append({"url": url, "reason": reason})
        self.error(f"{url}: {reason}")

    def error(self, message):
        """A failure that is not one record's (a page that could not be fetched, say)."""
        self.manifest["errors"].append(message)

    def _write(self, table, rows):
        if not rows.num_rows:
            return
        if table not in self._writers:
            self._writers[table] = [pq.ParquetWriter(self._tmp_path(table), rows.schema), 0]
        self._writers[table][0].write_table(rows)
        self._writers[table][1] += rows.num_rows

    def _part_name(self, table):
        return f"{table}.part-{self._part:05d}.parquet"

    def _tmp_path(self, table):
        return self.run_dir / (self._part_name(table) + ".tmp")

    def _seal(self):
        """Make everything added so far durable: close the open parts and rename them."""
        if self._quarantined:
            self._write("quarantine", pa.Table.from_pylist(self._quarantined, schema=QUARANTINE))
            self._quarantined = []
        for table, (writer, rows) in self._writers.items():
            writer.close()
            durable.fsync(self._tmp_path(table))
            os.replace(self._tmp_path(table), self.run_dir / self._part_name(table))
            self._sealed[self._part_name(table)] = rows
        if self._writers:
            durable.fsync(self.run_dir)
            self._part += 1
        self._writers.clear()

    def checkpoint(self, state):
        """Seal what was added so far and record `state`, the crawler's position just after it."""
        self._seal()
        durable.write_json(self.run_dir / "checkpoint.json", {
            "manifest": self.manifest, "parts": self._part, "files": self._sealed, "state": state})

    def commit(self):
        """Merge the parts into one file per table and write the manifest naming them: the run is
        complete. Then remove the parts and the abandoned runs."""
        self._seal()
        files = {}
        for table in [*TABLES, "quarantine"]:
            parts = sorted(self.run_dir / name for name in self._sealed if name.startswith(f"{table}.part-"))
            if parts:
                tmp = self.run_dir / f"{table}.parquet.tmp"
                _merge(parts, tmp)
                files[f"{table}.parquet"] = sum(self._sealed[part.name] for part in parts)
                durable.replace(tmp, self.run_dir / f"{table}.parquet")
        verify_files(self.run_dir, files, "the parts")
        self.manifest["files"] = files
        self.manifest["finished_at"] = utc_now().isoformat()
        durable.write_json(self.run_dir / "manifest.json", self.manifest)
        for path in self.run_dir.iterdir():
            if part_index(path) is not None or path.name == "checkpoint.json":
                path.unlink()
        self._remove_abandoned_runs()

    def _remove_abandoned_runs(self):
        """Uncommitted runs nobody can resume: no (readable) checkpoint, or older than this run of its
        source. Called under the lock, so none of them is being written."""
        for run_dir in uncommitted_runs(self.data_dir):
            try:
                checkpoint = read_checkpoint(run_dir)
            except CorruptRun:
                checkpoint = None
            if run_dir != self.run_dir and (checkpoint is None or (
                    checkpoint["manifest"]["source"] == self.source and run_dir.name < self.run_id)):
                shutil.rmtree(run_dir)
