"""The `trials` command: crawl, import, build and demo. Exit 0 on success, 1 with one line on failure."""
import argparse
import os
import sys
from pathlib import Path

from etl.bulk import BulkError, import_path
from etl.store import RunLocked
from warehouse.build import BuildFailed, build

from trials.summary import run_line, table_lines


def data_dir(value):
    return Path(value or os.environ.get("TRIALS_DATA") or "data")


def cmd_crawl(args):
    from trials.crawl import crawl  # Scrapy loads only for crawls

    spider_args = {"base_url": args.base_url, "query": args.query, "since": args.since,
                   "max_records": args.max_records, "ids": args.ids}
    manifest = crawl(args.spider, args.data, delay=args.delay,
                     log_level="INFO" if args.verbose else "WARNING", **spider_args)
    print(run_line(manifest))
    if manifest["errors"]:
        raise SystemExit(f"trials: crawl finished with {len(manifest['errors'])} fetch errors")


def cmd_import(args):
    print(run_line(import_path(args.path, args.data, workers=args.workers)))


def cmd_build(args):
    counts = build(args.data)
    print(f"built {args.data / 'warehouse.duckdb'}")
    print("\n".join(table_lines(counts)))


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
    p.add_argument("--since", help="only records updated on or after YYYY-MM-DD")
    p.add_argument("--max-records", type=int)
    p.add_argument("--ids", help="comma-separated NCT ids to fetch one by one")
    p.add_argument("--delay", type=float, help="seconds between requests (default: polite settings)")
    p.add_argument("-v", "--verbose", action="store_true", help="log Scrapy's progress")

    p = command("import", cmd_import, "load a ctg-studies.json.zip, or a zip or folder of study files")
    p.add_argument("path", type=Path)
    p.add_argument("--workers", type=int, default=1, help="processes parsing in parallel (default 1)")
    command("build", cmd_build, "build the DuckDB warehouse and the Parquet marts")
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
