"""Reads the run folders of a data directory (`DIR/runs/<run_id>/`), verified, never trusted.

A committed run's `manifest.json` names its Parquet files with their row counts; an interrupted
run's `checkpoint.json` names its sealed parts the same way. Readers check both against the disk
(the row count in each file's Parquet footer), so a run that lost a file is an error that names it,
not a build or a resume quietly missing its rows. Symbolic links under `runs/` are refused: a run
folder is the store's own, and nothing is read or deleted through a link. The writer is
etl/store.py; this module only reads.
"""
import fcntl
import json
import re
from pathlib import Path

import pyarrow.parquet as pq


class CorruptRun(RuntimeError):
    """A run folder that is not what it says it is; the message names the file and what to do."""


MANIFEST_KEYS = ("run_id", "source", "since", "options", "started_at", "finished_at", "counts", "errors")
PART = re.compile(r".+\.part-(\d+)\.parquet")


def part_index(path):
    """The part number of a sealed part file (`<table>.part-NNNNN.parquet`), or None."""
    match = PART.fullmatch(Path(path).name)
    return int(match.group(1)) if match else None


def run_dirs(data_dir):
    """Every folder under DIR/runs, oldest first; CorruptRun for anything else there that is a link."""
    runs = Path(data_dir) / "runs"
    if not runs.is_dir():
        return []
    found = []
    for path in sorted(runs.iterdir()):
        if path.is_symlink():
            raise CorruptRun(f"{path} is a symbolic link: runs/ holds only the runs' own folders, "
                             "remove the link")
        if path.is_dir():
            found.append(path)
    return found


def committed_runs(data_dir):
    """Run folders with a manifest, oldest first."""
    return [p for p in run_dirs(data_dir) if (p / "manifest.json").exists()]


def uncommitted_runs(data_dir):
    """Run folders without a manifest (interrupted, or running), oldest first."""
    return [p for p in run_dirs(data_dir) if not (p / "manifest.json").exists()]


def _read_json(path, what):
    if path.is_symlink():
        raise CorruptRun(f"{path} is a symbolic link, not a {what}")
    try:
        value = json.loads(path.read_bytes())
    except ValueError as exc:
        raise CorruptRun(f"{path} is not a readable {what} ({type(exc).__name__}: {exc})") from None
    if not isinstance(value, dict):
        raise CorruptRun(f"{path} is not a {what}: a JSON {type(value).__name__}, not an object")
    return value


def _check_manifest(manifest, path, run_id):
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise CorruptRun(f"{path} is not a run manifest: no {', '.join(missing)}")
    if manifest["run_id"] != run_id:
        raise CorruptRun(f"{path} names run {manifest['run_id']!r}, not its folder's {run_id!r}")
    if not isinstance(manifest.get("files", {}), dict) or not isinstance(manifest["counts"], dict):
        raise CorruptRun(f"{path} is not a run manifest: its files or counts are not a mapping")
    return manifest


def read_manifest(run_dir):
    """A committed run's manifest; CorruptRun, naming the file, when it cannot be one."""
    path = Path(run_dir) / "manifest.json"
    return _check_manifest(_read_json(path, "run manifest"), path, Path(run_dir).name)


def read_checkpoint(run_dir):
    """An uncommitted run's last checkpoint, None when it never reached one, CorruptRun when it is
    not readable as one."""
    path = Path(run_dir) / "checkpoint.json"
    if not path.exists() and not path.is_symlink():
        return None
    checkpoint = _read_json(path, "checkpoint")
    if not isinstance(checkpoint.get("manifest"), dict) or not isinstance(checkpoint.get("files"), dict) \
            or not isinstance(checkpoint.get("parts"), int) or not isinstance(checkpoint.get("state"), dict):
        raise CorruptRun(f"{path} is not a checkpoint: it needs manifest, parts, files and state")
    _check_manifest(checkpoint["manifest"], path, Path(run_dir).name)
    return checkpoint


def verify_files(run_dir, files, listed_in):
    """CorruptRun unless each file name -> row count of `files` is a regular file of the run folder
    with that many rows; returns their paths."""
    paths = []
    for name, rows in files.items():
        path = Path(run_dir) / name
        if Path(name).name != name or not name.endswith(".parquet"):
            raise CorruptRun(f"{Path(run_dir) / listed_in} lists {name!r}, not a Parquet file of the run")
        if path.is_symlink() or not path.is_file():
            raise CorruptRun(f"{path} is missing ({listed_in} lists it with {rows} rows)"
                             if not path.is_symlink() else f"{path} is a symbolic link; refused")
        try:
            found = pq.read_metadata(path).num_rows
        except (OSError, ValueError) as exc:
            raise CorruptRun(f"{path} is not readable Parquet ({exc})") from None
        if found != rows:
            raise CorruptRun(f"{path} has {found} rows; {listed_in} lists {rows}")
        paths.append(path)
    return paths


def run_tables(run_dir, manifest):
    """table -> the verified Parquet file of a committed run, for the tables it holds rows of."""
    files = manifest.get("files")
    if files is None:  # a run committed before manifests named their files: what is there
        return {path.name.removesuffix(".parquet"): path for path in sorted(Path(run_dir).glob("*.parquet"))
                if not path.is_symlink() and part_index(path) is None}
    return {path.name.removesuffix(".parquet"): path for path in verify_files(run_dir, files, "manifest.json")}


def committed(data_dir):
    """(run folder, manifest, table -> verified Parquet file) of every committed run, oldest first."""
    found = []
    for run_dir in committed_runs(data_dir):
        manifest = read_manifest(run_dir)
        found.append((run_dir, manifest, run_tables(run_dir, manifest)))
    return found


def latest_hashes(data_dir):
    """nct_id -> content hash of its most recently stored version, over all committed runs."""
    latest = {}
    for _, _, tables in committed(data_dir):
        if "trials" in tables:
            table = pq.read_table(tables["trials"], columns=["nct_id", "content_hash"])
            latest.update(zip(table.column("nct_id").to_pylist(), table.column("content_hash").to_pylist()))
    return latest


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
