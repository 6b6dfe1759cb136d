"""One-line and table summaries of runs and builds, for the terminal and for cron logs."""


def run_line(manifest):
    c = manifest["counts"]
    line = (f"run {manifest['run_id']} ({manifest['source']}): fetched {c['fetched']}, new {c['new']}, "
            f"changed {c['changed']}, unchanged {c['unchanged']}, quarantined {c['quarantined']}")
    if manifest["errors"]:
        line += f", errors {len(manifest['errors'])} (first: {manifest['errors'][0]})"
    return line


def table_lines(counts):
    width = max(map(len, counts), default=0)
    return [f"  {name:<{width}}  {rows:>9,}" for name, rows in counts.items()]
