"""The run history of a data directory, read from its runs' manifests and checkpoints.

There is no separate state file: a committed run's `manifest.json` says what it asked for (source,
options, since) and how it ended (errors), which is all `--since auto` and `trials runs` need.
"""
import datetime as dt

from trials.etl.store import committed_runs, read_checkpoint, read_manifest, running_run, uncommitted_runs

# Records posted on the registry's (US Eastern) date, late postings and clock skew: ask again for
# the last two days; records fetched twice are recognized by their content hash and not stored again.
SINCE_OVERLAP = dt.timedelta(days=2)


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


def auto_since(data_dir, source, options):
    """`--since auto`: the last successful complete run's start minus the overlap; None = full crawl.

    Successful: committed with no errors, same source and options (API root, query), no id list and no
    record limit, since such a run does not see every update.
    """
    if options.get("ids") or options.get("max_records"):
        raise ValueError("--since auto needs a complete crawl: drop --ids and --max-records")
    runs = [m for m in map(read_manifest, committed_runs(data_dir))
            if m["source"] == source and not m["errors"] and m["options"] == options]
    covered = covered_until(runs)
    return (covered - SINCE_OVERLAP).isoformat() if covered else None


def resumable_run(data_dir, source):
    """The checkpoint of the newest interrupted run of `source`, or None."""
    for run_dir in reversed(uncommitted_runs(data_dir)):
        checkpoint = read_checkpoint(run_dir)
        if checkpoint and checkpoint["manifest"]["source"] == source:
            return checkpoint
    return None


def list_runs(data_dir):
    """Every run's manifest, oldest first; interrupted runs as of their checkpoint, with status."""
    runs = [{**read_manifest(p), "status": "committed"} for p in committed_runs(data_dir)]
    running = running_run(data_dir)
    for run_dir in uncommitted_runs(data_dir):
        checkpoint = read_checkpoint(run_dir)
        if run_dir.name == running:
            runs.append({**(checkpoint or {}).get("manifest", _blank(run_dir)), "status": "running"})
        elif checkpoint:
            runs.append({**checkpoint["manifest"], "status": "interrupted (--resume continues it)"})
        else:
            runs.append({**_blank(run_dir), "status": "incomplete, no checkpoint (ignored; removed by the next run)"})
    return sorted(runs, key=lambda m: m["run_id"])


def _blank(run_dir):
    return {"run_id": run_dir.name, "source": None, "since": None, "started_at": None, "finished_at": None,
            "counts": {}, "errors": []}
