"""The `trials` command: crawl, import, build and demo. Exit 0 on success, 1 with one line on failure."""
import argparse
import os
import sys
from pathlib import Path

from etl.bulk import BulkError, import_path
from etl.runs import list_runs
from etl.store import RunLocked
from warehouse.build import BuildFailed, build

from trials.summary import run_line, runs_lines, table_lines


def data_dir(value):
    return Path(value or os.environ.get("TRIALS_DATA") or "data")


def positive_int(value):
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {value}")
    return number


def cmd_crawl(args):
    from trials.crawl import CrawlFailed, crawl  # Scrapy loads only for crawls

    spider_args = {"base_url": args.base_url, "query": args.query, "since": args.since,
                   "max_records": args.max_records, "ids": args.ids}
    try:
        manifest = crawl(args.spider, args.data, delay=args.delay, resume=args.resume,
                         log_level="INFO" if args.verbose else "WARNING", **spider_args)
    except CrawlFailed as exc:
        raise SystemExit(f"trials: {exc}") from None
    print(run_line(manifest))
    if manifest["errors"]:
        raise SystemExit(f"trials: crawl finished with {len(manifest['errors'])} fetch errors")


def cmd_import(args):
    print(run_line(import_path(args.path, args.data)))


def cmd_build(args):
    counts = build(args.data)
    print(f"built {args.data / 'warehouse.duckdb'}")
    print("\n".join(table_lines(counts)))


def cmd_runs(args):
    runs = list_runs(args.data)
    print("\n".join(runs_lines(runs)) if runs else f"no runs in {args.data}")
    for run in runs:
        for error in run["errors"]:
            print(f"{run['run_id']}: {error}")


def cmd_sql(args):
    import duckdb

    from trials.sql import FORMATS, NoWarehouse, run_query

    try:
        columns, rows = run_query(args.data, args.query)
    except (NoWarehouse, duckdb.Error) as exc:
        raise SystemExit(f"trials: {str(exc).splitlines()[0]}") from None
    print(FORMATS[args.format](columns, rows))


def cmd_docs(args):
    from trials.docs import DictionaryStale, write_dictionary

    try:
        path = write_dictionary(args.out, check=args.check)
    except DictionaryStale as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None
    print(f"{path} is up to date" if args.check else f"wrote {path}")


def cmd_report(args):
    from trials.report import write_report
    from trials.sql import NoWarehouse

    try:
        print(f"wrote {write_report(args.data)}")
    except NoWarehouse as exc:
        raise SystemExit(f"trials: {exc}") from None


def cmd_demo(args):
    from trials.demo import demo

    demo(args.data)


def parser():
    top = argparse.ArgumentParser(prog="trials", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def command(name, func, help):
        p = sub.add_parser(name, help=help)
        p.add_argument("--data", type=data_dir, default=data_dir(None),
                       help="data directory (default ./data or $TRIALS_DATA)")
        p.set_defaults(func=func)
        return p

    p = command("crawl", cmd_crawl, "crawl a registry into a new run")
    p.add_argument("spider", choices=["ctgov"])
    p.add_argument("--base-url", help="API root (default https://clinicaltrials.gov/api/v2)")
    p.add_argument("--query", help="full-text query (query.term)")
    p.add_argument("--since", help="only records updated on or after YYYY-MM-DD; 'auto' (for scheduled "
                   "runs): since the last successful run, minus 2 days, or everything on the first run")
    p.add_argument("--max-records", type=positive_int)
    p.add_argument("--ids", help="comma-separated NCT ids to fetch one by one")
    p.add_argument("--delay", type=float, help="seconds between requests (default: polite settings)")
    p.add_argument("-v", "--verbose", action="store_true", help="log Scrapy's progress")
    p.add_argument("--resume", action="store_true", help="continue the last interrupted crawl (with its own "
                   "options) from its last checkpoint; without one, start a new run")

    p = command("import", cmd_import, "load a ctg-studies.json.zip, or a zip or folder of study files")
    p.add_argument("path", type=Path)
    command("build", cmd_build, "build the DuckDB warehouse and the Parquet marts")
    command("runs", cmd_runs, "list the runs of the data directory, oldest first, from their manifests")
    p = command("sql", cmd_sql, "run one query against the warehouse, read-only")
    p.add_argument("query", help="SQL, e.g. \"select phase, count(*) from trials group by all\"")
    p.add_argument("--csv", dest="format", action="store_const", const="csv", default="table")
    p.add_argument("--json", dest="format", action="store_const", const="json")
    command("report", cmd_report, "write DIR/report/index.html, a self-contained report with charts")
    p = sub.add_parser("docs", help="regenerate docs/data-dictionary.md from a warehouse of the sample")
    p.add_argument("--out", type=Path, help="where to write it (default docs/data-dictionary.md)")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 with a diff if it differs")
    p.set_defaults(func=cmd_docs)
    command("demo", cmd_demo, "crawl the shipped sample from local servers, build, summarize")
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (RunLocked, BulkError, BuildFailed, OSError) as exc:
        raise SystemExit(f"trials: {exc}") from None
    except Exception as exc:  # the one-line contract holds for the unexpected too
        if os.environ.get("TRIALS_DEBUG"):
            raise
        raise SystemExit(f"trials: {type(exc).__name__}: {exc}") from None


if __name__ == "__main__":
    main()
