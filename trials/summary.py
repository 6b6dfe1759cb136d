"""One-line and table summaries of runs and builds, for the terminal and for cron logs."""


def run_line(manifest):
    c = manifest["counts"]
    line = (f"run {manifest['run_id']} ({manifest['source']}): fetched {c['fetched']}, new {c['new']}, "
            f"changed {c['changed']}, unchanged {c['unchanged']}, quarantined {c['quarantined']}")
    if manifest.get("resumed_at"):
        line += f", resumed {len(manifest['resumed_at'])}x"
    if manifest["errors"]:
        line += f", errors {len(manifest['errors'])} (first: {manifest['errors'][0]})"
    return line


def table_lines(counts):
    width = max(map(len, counts), default=0)
    return [f"  {name:<{width}}  {rows:>9,}" for name, rows in counts.items()]


def runs_lines(runs):
    """`trials runs`: one line per run, oldest first, from the manifests."""
    header = ("run_id", "source", "since", "started_at", "finished_at", "fetched", "new", "changed",
              "unchanged", "quarantined", "errors", "status")
    rows = [header] + [(
        m["run_id"], m["source"] or "-", m["since"] or ("full" if m["source"] else "-"),
        (m["started_at"] or "-")[:19], (m["finished_at"] or "-")[:19],
        *(str(m["counts"].get(k, "-")) for k in header[5:10]), str(len(m["errors"])), m["status"],
    ) for m in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
