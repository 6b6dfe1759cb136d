"""Writes one run's records as Parquet under `DIR/runs/<run_id>/`, committed atomically.

A run's rows go to numbered parts (`<table>.part-NNNNN.parquet.tmp`). A checkpoint seals the open
parts (rename) and then writes `checkpoint.json` (by rename): the counts so far, how many parts are
sealed, and the crawler's position, so a run killed at any point, SIGKILL included, can be resumed
from its last checkpoint with nothing lost or stored twice. Commit merges the parts into
`<table>.parquet` and writes `manifest.json` last, by rename: it is what marks a run as complete. A
build reads only complete runs, so a killed run leaves nothing a build would read. Records whose
content hash equals the latest stored version of the same trial are counted as unchanged and not
stored again.
"""
import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trials.etl.batch import parse_batch
from trials.etl.schemas import QUARANTINE, STR, TABLES

FLUSH_RECORDS = 2000


class RunLocked(RuntimeError):
    """Another run holds the data directory."""


def utc_now():
    return dt.datetime.now(dt.timezone.utc)


def committed_runs(data_dir):
    """Run directories with a manifest, oldest first."""
    runs = Path(data_dir) / "runs"
    return sorted(p for p in runs.glob("*") if (p / "manifest.json").is_file()) if runs.is_dir() else []


def read_manifest(run_dir):
    return json.loads((Path(run_dir) / "manifest.json").read_text())


def uncommitted_runs(data_dir):
    """Run directories without a manifest (killed or running), oldest first."""
    runs = Path(data_dir) / "runs"
    return sorted(p for p in runs.glob("*") if p.is_dir() and not (p / "manifest.json").exists()) \
        if runs.is_dir() else []


def running_run(data_dir):
    """The id of the run holding the data directory's lock, or None."""
    path = Path(data_dir) / "run.lock"
    if not path.exists():
        return None
    with open(path) as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return lock.read().rpartition("run ")[2].strip() or "unknown"
    return None


def read_checkpoint(run_dir):
    """The last checkpoint of an uncommitted run, or None when it never reached one."""
    path = Path(run_dir) / "checkpoint.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _write_json(path, value):
    """Write by rename, so a reader (or a resumed run) sees the old file or the new, never half."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, indent=2) + "\n")
    os.replace(tmp, path)


def _part_index(path):
    match = re.fullmatch(r".+\.part-(\d+)\.parquet", path.name)
    return int(match.group(1)) if match else None


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


def latest_hashes(data_dir):
    """nct_id -> content hash of its most recently stored version, over all committed runs."""
    latest = {}
    for run in committed_runs(data_dir):
        path = run / "trials.parquet"
        if path.exists():
            table = pq.read_table(path, columns=["nct_id", "content_hash"])
            latest.update(zip(table.column("nct_id").to_pylist(), table.column("content_hash").to_pylist()))
    return latest


class RunWriter:
    """Parses raw records into one run's Parquet tables; use as a context manager."""

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
        self._raw = []
        self._quarantined = []
        self._writers = {}
        self._known = {}
        self._part = 0
        self._resume = resume
        if resume:
            self.manifest = resume["manifest"]
            self.manifest.setdefault("resumed_at", []).append(utc_now().isoformat())
            self.run_id = self.manifest["run_id"]
            self.run_dir = self.data_dir / "runs" / self.run_id

    def __enter__(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.data_dir / "run.lock", "a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.seek(0)
            holder = self._lock.read().strip() or "another process"
            self._lock.close()
            raise RunLocked(f"another run is writing to {self.data_dir} ({holder}); try again when it ends")
        self._lock.truncate(0)
        self._lock.write(f"pid {os.getpid()}, run {self.run_id}\n")
        self._lock.flush()
        self._known = latest_hashes(self.data_dir)
        if self._resume:
            self._reopen()
        else:
            self.run_dir.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()
        return False

    def close(self):
        """Release the run without committing; what was checkpointed stays for `--resume`."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        for tmp in self.run_dir.glob("*.parquet.tmp"):
            tmp.unlink()
        self._lock.close()

    def _reopen(self):
        """Continue an uncommitted run from its checkpoint: keep its sealed parts, drop the rest."""
        on_disk = read_checkpoint(self.run_dir)
        if (self.run_dir / "manifest.json").exists() or on_disk is None \
                or on_disk["parts"] != self._resume["parts"] or on_disk["state"] != self._resume["state"]:
            raise RunLocked(f"run {self.run_id} changed since it was chosen for --resume; try again")
        self._part = on_disk["parts"]
        for path in sorted(self.run_dir.iterdir()):
            index = _part_index(path)
            if index is not None and index < self._part:
                if path.name.startswith("trials.part-"):
                    table = pq.read_table(path, columns=["nct_id", "content_hash"])
                    self._known.update(zip(table.column("nct_id").to_pylist(),
                                           table.column("content_hash").to_pylist()))
            elif path.name != "checkpoint.json":
                path.unlink()  # written after the checkpoint: the resumed crawl fetches it again

    @property
    def counts(self):
        return self.manifest["counts"]

    def add(self, source, url, fetched_at, body):
        """Keep one raw record; it is parsed, with the others of its batch, when the batch is full."""
        self._raw.append((source, url, fetched_at, body))
        if len(self._raw) >= FLUSH_RECORDS:
            self._parse_raw()

    def add_batch(self, batch):
        """Keep a parsed batch (see `parse_batch`): store its new and changed trials, count the rest."""
        self.counts["fetched"] += batch.fetched
        for row in batch.quarantine:
            self.quarantine(**row)
        keep = []
        for record_id, nct_id, digest, flagged in batch.trials:
            previous = self._known.get(nct_id)
            if previous == digest:
                self.counts["unchanged"] += 1
                continue
            self.counts["changed" if previous else "new"] += 1
            self.counts["flagged"] += flagged
            self._known[nct_id] = digest
            keep.append(record_id)
        for table, rows in batch.tables.items():
            if len(keep) < len(batch.trials):
                rows = rows.filter(pc.is_in(rows.column("record_id"), pa.array(keep, STR)))
            self._write(table, rows)

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

    def _parse_raw(self):
        if self._raw:
            self.add_batch(parse_batch(self._raw, self.run_id, self.counts["fetched"] + 1))
            self._raw = []

    def _write(self, table, rows):
        if not rows.num_rows:
            return
        if table not in self._writers:
            self._writers[table] = pq.ParquetWriter(self._part_path(table).with_suffix(".parquet.tmp"), rows.schema)
        self._writers[table].write_table(rows)

    def _flush(self):
        self._parse_raw()
        if self._quarantined:
            self._write("quarantine", pa.Table.from_pylist(self._quarantined, schema=QUARANTINE))
            self._quarantined = []

    def _part_path(self, table):
        return self.run_dir / f"{table}.part-{self._part:05d}.parquet"

    def _seal(self):
        """Make everything added so far durable: close the open parts and rename them."""
        self._flush()
        for table, writer in self._writers.items():
            writer.close()
            os.replace(self._part_path(table).with_suffix(".parquet.tmp"), self._part_path(table))
        if self._writers:
            self._part += 1
        self._writers.clear()

    def checkpoint(self, state):
        """Seal what was added so far and record `state`, the crawler's position just after it."""
        self._seal()
        _write_json(self.run_dir / "checkpoint.json",
                    {"manifest": self.manifest, "parts": self._part, "state": state})

    def commit(self):
        self._seal()
        for table in [*TABLES, "quarantine"]:
            parts = sorted(self.run_dir.glob(f"{table}.part-*.parquet"))
            if parts:
                tmp = self.run_dir / f"{table}.parquet.tmp"
                _merge(parts, tmp)
                os.replace(tmp, self.run_dir / f"{table}.parquet")
        self.manifest["finished_at"] = utc_now().isoformat()
        _write_json(self.run_dir / "manifest.json", self.manifest)
        for path in self.run_dir.iterdir():
            if _part_index(path) is not None or path.name == "checkpoint.json":
                path.unlink()
        self._remove_abandoned_runs()

    def _remove_abandoned_runs(self):
        """Uncommitted runs nobody can resume: no checkpoint, or older than this run of its source.

        Called under the lock, so none of them is being written."""
        for run_dir in uncommitted_runs(self.data_dir):
            checkpoint = read_checkpoint(run_dir)
            if run_dir != self.run_dir and (checkpoint is None or (
                    checkpoint["manifest"]["source"] == self.source and run_dir.name < self.run_id)):
                shutil.rmtree(run_dir)
