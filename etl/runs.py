"""The run history of a data directory, read from its runs' manifests and checkpoints (etl/run_folders.py).

There is no separate state file: a committed run's `manifest.json` says what it asked for (source,
options, since) and how it ended (errors), which is all `--since auto` and `trials runs` need.
Nothing here is trusted blindly: a run dated in the future (a clock that was ahead) covers nothing,
and an interrupted run whose checkpoint is unreadable or whose parts are gone is abandoned with a
warning, so that the scheduled `--resume` starts a new run instead of failing every night.
"""
import datetime as dt
import sys

from trials.etl.run_folders import (CorruptRun, committed_runs, read_checkpoint, read_manifest, running_run,
                                    uncommitted_runs, verify_files)

# Records posted on the registry's (US Eastern) date, late postings and clock skew: ask again for
# the last two days; records fetched twice are recognized by their content hash and not stored again.
SINCE_OVERLAP = dt.timedelta(days=2)


def warn(message):
    print(f"trials: warning: {message}", file=sys.stderr)


def _date(timestamp):
    return dt.datetime.fromisoformat(timestamp).date()


def covered_until(manifests):
    """The date up to which the given successful runs (oldest first) saw every update, or None.

    A full run (no since) covers everything up to its start; an incremental one extends the coverage
    only if its since falls within it, so a gap (an incremental run after nothing) never counts.
    """
    covered = None
    for manifest in manifests:
        since = manifest["since"]
        if since is None or (covered is not None and dt.date.fromisoformat(since) <= covered):
            covered = max(covered or dt.date.min, _date(manifest["started_at"]))
    return covered


def auto_since(data_dir, source, options, now=None):
    """`--since auto`: the last successful complete run's start minus the overlap; None = full crawl.

    Successful: committed with no errors, same source and options (API root, query), no id list and no
    record limit, since such a run does not see every update. A run that started after `now` was
    dated by a clock that ran ahead: when it really ran is unknown, so it covers nothing (and says so),
    and the date asked for is never in the future.
    """
    if options.get("ids") or options.get("max_records"):
        raise ValueError("--since auto needs a complete crawl: drop --ids and --max-records")
    now = now or dt.datetime.now(dt.timezone.utc)
    runs = []
    for manifest in map(read_manifest, committed_runs(data_dir)):
        if manifest["source"] != source or manifest["errors"] or manifest["options"] != options:
            continue
        if dt.datetime.fromisoformat(manifest["started_at"]) > now:
            warn(f"run {manifest['run_id']} started at {manifest['started_at']}, after now ({now:%Y-%m-%dT%H:%M}Z): "
                 "a clock ahead; --since auto does not count it")
            continue
        runs.append(manifest)
    covered = covered_until(runs)
    return (min(covered, now.date()) - SINCE_OVERLAP).isoformat() if covered else None


def resumable_run(data_dir, source):
    """The checkpoint of the newest interrupted run of `source`, verified, or None.

    A run that cannot be resumed as it says (a checkpoint that is not one, a sealed part missing or
    cut short) is abandoned with a warning; the next run of the source removes it."""
    for run_dir in reversed(uncommitted_runs(data_dir)):
        try:
            checkpoint = read_checkpoint(run_dir)
            if checkpoint and checkpoint["manifest"]["source"] == source:
                verify_files(run_dir, checkpoint["files"], "checkpoint.json")
                return checkpoint
        except CorruptRun as exc:
            warn(f"{exc}; run {run_dir.name} cannot be resumed and is abandoned (the next run removes it)")
            return None
    return None


def list_runs(data_dir):
    """Every run's manifest, oldest first; interrupted runs as of their checkpoint, with status."""
    runs = []
    for run_dir in committed_runs(data_dir):
        try:
            runs.append({**read_manifest(run_dir), "status": "committed"})
        except CorruptRun as exc:
            runs.append({**_blank(run_dir), "status": f"corrupt: {exc}"})
    running = running_run(data_dir)
    for run_dir in uncommitted_runs(data_dir):
        try:
            checkpoint = read_checkpoint(run_dir)
        except CorruptRun as exc:
            checkpoint, broken = None, exc
        else:
            broken = None
        if run_dir.name == running:
            runs.append({**(checkpoint or {}).get("manifest", _blank(run_dir)), "status": "running"})
        elif broken:
            runs.append({**_blank(run_dir), "status": f"abandoned ({broken}); removed by the next run"})
        elif checkpoint:
            runs.append({**checkpoint["manifest"], "status": "interrupted (--resume continues it)"})
        else:
            runs.append({**_blank(run_dir), "status": "incomplete, no checkpoint (ignored; removed by the next run)"})
    return sorted(runs, key=lambda m: m["run_id"])


def _blank(run_dir):
    return {"run_id": run_dir.name, "source": None, "since": None, "started_at": None, "finished_at": None,
            "counts": {}, "errors": []}
