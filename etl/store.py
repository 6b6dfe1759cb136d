"""Writes one run's records as Parquet under `DIR/runs/<run_id>/`, committed atomically.

A run's files are written as `*.parquet.tmp` and renamed when the run commits; `manifest.json` is
written last, by rename, and is what marks a run as complete. A build reads only complete runs, so a
run killed at any point leaves nothing a build would read. Records whose content hash equals the
latest stored version of the same trial are counted as unchanged and not stored again.
"""
import datetime as dt
import fcntl
import json
import os
import secrets
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from etl.parsers import PARSERS
from etl.record import ParseError, content_hash
from etl.schemas import QUARANTINE, TABLES
from etl.validate import conform, validation_flags

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

    def __init__(self, data_dir, source, since=None, options=None):
        self.data_dir = Path(data_dir)
        self.source = source
        self.started_at = utc_now()
        self.run_id = self.started_at.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
        self.run_dir = self.data_dir / "runs" / self.run_id
        self.manifest = {
            "run_id": self.run_id, "source": source, "since": since, "options": options or {},
            "started_at": self.started_at.isoformat(), "finished_at": None,
            "counts": {"fetched": 0, "new": 0, "changed": 0, "unchanged": 0, "quarantined": 0,
                       "flagged": 0, "fetch_errors": 0},
            "errors": [], "given_up": [],
        }
        self._lock = None
        self._buffers = {table: [] for table in [*TABLES, "quarantine"]}
        self._writers = {}
        self._known = {}
        self._pending = 0

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
        self.run_dir.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
        finally:
            for writer in self._writers.values():
                writer.close()
            self._lock.close()
        return False

    @property
    def counts(self):
        return self.manifest["counts"]

    def add(self, source, url, fetched_at, body):
        """Parse one raw record and keep it: stored, counted unchanged, or quarantined."""
        self.counts["fetched"] += 1
        try:
            record = PARSERS[source](body, url)
        except ParseError as exc:
            self.quarantine(source, url, fetched_at, "parse", str(exc), body)
            return
        try:
            conform(record)
        except ParseError as exc:
            self.quarantine(source, url, fetched_at, "validate", str(exc), body)
            return
        trial = record["trials"][0]
        digest = content_hash(record)
        previous = self._known.get(trial["nct_id"])
        if previous == digest:
            self.counts["unchanged"] += 1
            return
        # Flags are set after the hash: they depend on the fetch date, not only on the content.
        trial["validation_flags"] = validation_flags(record, fetched_at)
        self.counts["flagged"] += bool(trial["validation_flags"])
        self.counts["changed" if previous else "new"] += 1
        self._known[trial["nct_id"]] = digest
        record_id = f"{self.run_id}/{self.counts['fetched']}"
        trial.update(source=source, source_url=url, fetched_at=fetched_at, content_hash=digest)
        for table, rows in record.items():
            for row in rows:
                row["record_id"] = record_id
            self._buffers[table].extend(rows)
        self._pending += 1
        if self._pending >= FLUSH_RECORDS:
            self._flush()

    def quarantine(self, source, url, fetched_at, stage, reason, payload=b""):
        self.counts["quarantined"] += 1
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="backslashreplace")
        self._buffers["quarantine"].append({
            "source": source, "url": url, "fetched_at": fetched_at, "stage": stage,
            "reason": reason, "payload": payload,
        })

    def reject(self, source, url, fetched_at, stage, reason, payload):
        """A fetched payload that cannot become records at all (an unreadable page of studies)."""
        self.counts["fetched"] += 1
        self.quarantine(source, url, fetched_at, stage, reason, payload)

    def give_up(self, url, reason):
        """A fetch that failed for good after its retries: no payload, counted apart from records."""
        self.counts["fetch_errors"] += 1
        self.manifest["given_up"].append({"url": url, "reason": reason})
        self.error(f"{url}: {reason}")

    def error(self, message):
        """A failure that is not one record's (a page that could not be fetched, say)."""
        self.manifest["errors"].append(message)

    def _flush(self):
        for table, rows in self._buffers.items():
            if not rows:
                continue
            schema = QUARANTINE if table == "quarantine" else TABLES[table]
            batch = pa.Table.from_pylist(rows, schema=schema)
            if table not in self._writers:
                self._writers[table] = pq.ParquetWriter(self.run_dir / f"{table}.parquet.tmp", schema)
            self._writers[table].write_table(batch)
            rows.clear()
        self._pending = 0

    def commit(self):
        self._flush()
        for table, writer in self._writers.items():
            writer.close()
            os.replace(self.run_dir / f"{table}.parquet.tmp", self.run_dir / f"{table}.parquet")
        self._writers.clear()
        self.manifest["finished_at"] = utc_now().isoformat()
        tmp = self.run_dir / "manifest.json.tmp"
        tmp.write_text(json.dumps(self.manifest, indent=2) + "\n")
        os.replace(tmp, self.run_dir / "manifest.json")
