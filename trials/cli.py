"""The `trials` command: crawl, import, build and demo. Exit 0 on success, 1 with one line on failure."""
import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from trials.pandas_check import skip_pyarrow_pandas_check

skip_pyarrow_pandas_check()  # before the etl modules below convert their first lists to Arrow
from trials.etl.bulk import BulkError, import_path
from trials.etl.run_folders import CorruptRun
from trials.etl.runs import list_runs
from trials.etl.store import RunLocked
from trials.warehouse.build import BuildFailed, build

from trials.summary import run_line, runs_lines, table_lines


def data_dir(value):
    return Path(value or os.environ.get("TRIALS_DATA") or "data")


def positive_int(value):
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {value}")
    return number


def since_date(value):
    """`auto`, or a real calendar date as YYYY-MM-DD."""
    if value == "auto":
        return value
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD or auto, not {value!r}") from None


def calendar_date(value):
    """A real calendar date as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from None


def web_url(value):
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"expected an http(s) URL, not {value!r}")
    return value


class OneLineParser(argparse.ArgumentParser):
    """Argument errors in one line, like every other failure of the command."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def scrapy_setting(text):
    name, sep, value = text.partition("=")
    if not sep or not name.isupper():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with an upper-case Scrapy setting name, got {text!r}")
    return name, value


def check_writable(data):
    """Fail here, in one line, rather than inside Scrapy: a run must be able to lock and write in DIR."""
    runs = data / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    open(data / "run.lock", "a").close()
    tempfile.TemporaryFile(dir=runs).close()


def cmd_crawl(args):
    from trials.crawl import CrawlFailed, crawl  # Scrapy loads only for crawls

    check_writable(args.data)
    spider_args = {"base_url": args.base_url, "query": args.query, "since": args.since,
                   "max_records": args.max_records, "ids": args.ids, "start_url": args.start_url}
    if args.spider == "pages" and not args.start_url:
        raise SystemExit("trials: crawl pages needs --start-url (a listing page or a sitemap.xml)")
    if args.spider == "euctr" and args.since:
        raise SystemExit("trials: crawl euctr takes no --since: the EU register has no last-update filter "
                         "(records fetched again unchanged are not stored again)")
    try:
        manifest = crawl(args.spider, args.data, delay=args.delay, resume=args.resume, overrides=dict(args.set),
                         verbose=args.verbose, **spider_args)
    except CrawlFailed as exc:
        raise SystemExit(f"trials: {exc}") from None
    print(run_line(manifest))
    if manifest["errors"]:
        raise SystemExit(f"trials: crawl finished with {len(manifest['errors'])} fetch errors "
                         f"(first: {one_line(manifest['errors'][0])}); log: {manifest.get('log_file')}")


def cmd_import(args):
    print(run_line(import_path(args.path, args.data, workers=args.workers, as_of=args.as_of)))


def cmd_quarantine(args):
    from trials.quarantine import quarantine_lines, quarantined

    rows = quarantined(args.data, args.limit)
    print("\n".join(quarantine_lines(rows, args.width)) if rows else f"no quarantined records in {args.data}")


def cmd_build(args):
    counts = build(args.data)
    print(f"built {args.data / 'trials.warehouse.duckdb'}")
    print("\n".join(table_lines(counts)))


def cmd_reparse(args):
    from trials.etl.reparse import reparse

    if not args.data.is_dir():
        raise SystemExit(f"trials: no data directory at {args.data}")
    print("\n".join(reparse_lines(reparse(args.data))))


def reparse_lines(summary):
    lines = [f"reparsed {summary['runs']} run(s): {summary['versions']:,} version(s) derived again from their stored "
             f"documents, {summary['hashes_changed']:,} with a new content hash; versions and history kept"]
    if summary["versions_without_documents"]:
        lines.append(f"{summary['versions_without_documents']:,} version(s) have no stored documents (runs from before "
                     f"documents were kept: {summary['runs_without_documents']}): their tables are kept as they were")
    for table in sorted(summary["rows_before"].keys() | summary["rows_after"].keys()):
        before, after = summary["rows_before"][table], summary["rows_after"][table]
        lines.append(f"  {table:<28} {before:>10,} -> {after:,} rows")
    return lines


def cmd_runs(args):
    from trials.query import printable

    runs = list_runs(args.data)
    print("\n".join(runs_lines(runs)) if runs else f"no runs in {args.data}")
    for run in runs:
        for error in run["errors"]:  # they quote what servers sent: printed with control characters escaped
            print(printable(f"{run['run_id']}: {error}"))


def sql_text(args):
    """The SQL of `trials sql`: the argument, the file of -f, or standard input (also as `-`)."""
    if args.file and args.query is not None:
        raise SystemExit("trials: give the SQL either as an argument or with -f FILE, not both")
    if args.file:
        return args.file.read_text(encoding="utf-8")
    if args.query is None or args.query == "-":
        if args.query is None and sys.stdin.isatty():
            raise SystemExit("trials: no SQL given: pass it as an argument, with -f FILE, or on standard input")
        return sys.stdin.read()
    return args.query


def cmd_sql(args):
    """Each statement's result in order, a blank line between; DuckDB's whole error message on stderr."""
    import duckdb

    from trials.query import FORMATS, EmptyQuery, NoWarehouse, printable, run_queries

    render = FORMATS[args.format]
    terminal = {"terminal": sys.stdout.isatty()} if args.format == "csv" else {}
    try:
        for index, (columns, rows) in enumerate(run_queries(args.data, sql_text(args))):
            print(("\n" if index else "") + render(columns, rows, **terminal), flush=True)
    except (NoWarehouse, EmptyQuery) as exc:
        raise SystemExit(f"trials: {exc}") from None
    except duckdb.Error as exc:
        # the whole message: DuckDB's hints ("Did you mean ...", candidate columns) and the caret under the error
        why = " (`trials sql` reads the warehouse only: no files, no extensions)" \
            if isinstance(exc, duckdb.PermissionException) else ""
        raise SystemExit(printable(f"trials: {str(exc).rstrip()}{why}")) from None


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
    from trials.query import NoWarehouse

    try:
        print(f"wrote {write_report(args.data)}")
    except NoWarehouse as exc:
        raise SystemExit(f"trials: {exc}") from None


def cmd_demo(args):
    from trials.demo import demo

    demo(args.data)


def parser():
    top = OneLineParser(prog="trials", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def command(name, func, help):
        p = sub.add_parser(name, help=help)
        p.add_argument("--data", type=data_dir, default=data_dir(None),
                       help="data directory (default ./data or $TRIALS_DATA)")
        p.set_defaults(func=func)
        return p

    p = command("crawl", cmd_crawl, "crawl a registry into a new run")
    p.add_argument("spider", choices=["ctgov", "pages", "euctr"],
                   help="ctgov: the ClinicalTrials.gov API; pages: a mirror site; euctr: the EU Clinical Trials Register")
    p.add_argument("--base-url", type=web_url, help="API root (default https://clinicaltrials.gov/api/v2; "
                   "euctr: https://www.clinicaltrialsregister.eu)")
    p.add_argument("--query", help="full-text query (ctgov: query.term; euctr: the register's search)")
    p.add_argument("--since", type=since_date, help="only records updated on or after YYYY-MM-DD; 'auto' (for scheduled "
                   "runs): since the last successful run, minus 2 days, or everything on the first run")
    p.add_argument("--max-records", type=positive_int)
    p.add_argument("--ids", help="comma-separated NCT ids (euctr: EudraCT numbers) to fetch one by one")
    p.add_argument("--start-url", type=web_url, help="pages: a mirror site's listing page or sitemap.xml")
    p.add_argument("--delay", type=float, help="seconds between requests (default: polite settings)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also show Scrapy's log here (it always goes to DIR/logs/<run>.log)")
    p.add_argument("--resume", action="store_true", help="continue the last interrupted crawl (with its own "
                   "options) from its last checkpoint; without one, start a new run")
    p.add_argument("--set", type=scrapy_setting, action="append", default=[], metavar="NAME=VALUE",
                   help="override a Scrapy setting, e.g. --set DOWNLOAD_TIMEOUT=5 (repeatable)")

    p = command("import", cmd_import,
                "load a ctg-studies.json.zip, a zip or folder of study files (v2 JSON or legacy XML), one "
                "study file (NCT….json, NCT….xml), a WHO ICTRP export (XML or CSV) or an EU register full-text download")
    p.add_argument("path", type=Path)
    p.add_argument("--workers", type=int, default=1, help="processes parsing in parallel (default 1)")
    p.add_argument("--as-of", type=calendar_date, help="the date YYYY-MM-DD the file's data describes "
                   "(default: the newest last update posted in it)")
    command("build", cmd_build, "build the DuckDB warehouse and the Parquet marts")
    command("runs", cmd_runs, "list the runs of the data directory, oldest first, from their manifests")
    command("reparse", cmd_reparse, "derive every stored version's tables again from its stored documents "
            "with today's parsers (no network; all or nothing; versions and history kept)")
    p = command("sql", cmd_sql, "run SQL against the warehouse, read-only; each statement's result is printed")
    p.add_argument("query", nargs="?", help="SQL, e.g. \"select phase, count(*) from trials group by all\"; "
                   "without it (or as -), the SQL is read from standard input")
    p.add_argument("-f", "--file", type=Path, help="read the SQL from FILE")
    p.add_argument("--csv", dest="format", action="store_const", const="csv", default="table")
    p.add_argument("--json", dest="format", action="store_const", const="json")
    command("report", cmd_report, "write DIR/report/index.html, a self-contained report with charts")
    p = sub.add_parser("docs", help="regenerate docs/data-dictionary.md from a warehouse of the sample")
    p.add_argument("--out", type=Path, help="where to write it (default docs/data-dictionary.md)")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 with a diff if it differs")
    p.set_defaults(func=cmd_docs)
    p = command("quarantine", cmd_quarantine, "list the records runs could not keep, and why")
    p.add_argument("--limit", type=int, help="show at most N records (newest runs first)")
    p.add_argument("--width", type=int, default=60, help="characters of payload to show (default 60)")
    command("demo", cmd_demo, "crawl the shipped sample from local servers, build, summarize")
    return top


def one_line(text):
    return " ".join(str(text).split())


# Commands that only read DIR: a missing one is an error, not an empty answer.
READS_DATA = {"build", "runs", "sql", "report", "quarantine"}


def main(argv=None):
    args = parser().parse_args(argv)
    data = getattr(args, "data", None)  # `docs` works on a temporary data directory of its own
    if data and data.exists() and not data.is_dir():
        raise SystemExit(f"trials: --data {args.data} is not a directory")
    if data and args.command in READS_DATA and not data.is_dir():
        raise SystemExit(f"trials: no data directory {data}: crawl or import into it first")
    try:
        args.func(args)
    except KeyboardInterrupt:  # what was committed stays; the run or build under way is left out
        print("trials: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except (RunLocked, BulkError, BuildFailed, CorruptRun, OSError) as exc:
        raise SystemExit(f"trials: {one_line(exc)}") from None
    except Exception as exc:  # the one-line contract holds for the unexpected too
        if os.environ.get("TRIALS_DEBUG"):
            raise
        raise SystemExit(f"trials: {type(exc).__name__}: {one_line(exc)}") from None


if __name__ == "__main__":
    main()
