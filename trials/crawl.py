"""Runs one spider in this process with the project's settings; returns the run's manifest.

`since="auto"` asks only for what changed since the last successful complete run (etl/runs.py);
`resume=True` continues the newest interrupted run of the spider from its last checkpoint, with that
run's own options, or starts a new run when there is none.
"""
import datetime as dt
import logging
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from trials.etl.runs import auto_since, resumable_run
from trials.etl.run_folders import CorruptRun, read_manifest


class CrawlFailed(RuntimeError):
    pass


def crawl(spider, data_dir, delay=None, verbose=False, resume=False, overrides=None, **spider_args):
    """Scrapy's log goes to DIR/logs/<time>-<spider>.log (named in the manifest), and to stderr too
    when `verbose`: the terminal, or cron's mail, gets the run's one-line summary, not tracebacks."""
    settings = Settings()
    settings.setmodule("trials.crawler.settings", priority="project")
    settings.set("TRIALS_DATA", str(data_dir), priority="cmdline")
    log_file = Path(data_dir) / "logs" / f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{spider}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    settings.set("LOG_FILE", str(log_file), priority="cmdline")
    settings.set("LOG_LEVEL", "INFO", priority="cmdline")
    if delay is not None:
        settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    if verbose:
        echo = logging.StreamHandler(sys.stderr)
        echo.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
        logging.getLogger().addHandler(echo)
    crawler = process.create_crawler(spider)
    spider_args = {k: v for k, v in spider_args.items() if v is not None}
    try:
        checkpoint = resumable_run(data_dir, spider) if resume else None
    except CorruptRun as exc:
        raise CrawlFailed(str(exc)) from None
    if checkpoint:
        run = checkpoint["manifest"]
        print(f"resuming run {run['run_id']} after {run['counts']['fetched']} records")
        spider_args = {**run["options"], "since": run["since"], "resume": checkpoint}
    elif spider_args.get("since") == "auto":
        # The options this crawl will record in its manifest, to find earlier runs of the same crawl.
        options = crawler.spidercls(**{**spider_args, "since": None}).run_options
        try:
            spider_args["since"] = auto_since(data_dir, spider, options)
        except (ValueError, CorruptRun) as exc:
            raise CrawlFailed(str(exc)) from None
    process.crawl(crawler, **spider_args)
    process.start()
    logging.getLogger().handlers.clear()
    run_dir = crawler.stats.get_value("trials/run_dir")
    if not run_dir:
        reason = crawler.stats.get_value("trials/error") or "the crawl did not start; see the log above"
        raise CrawlFailed(reason)
    return read_manifest(Path(run_dir))
