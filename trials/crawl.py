"""Runs one spider in this process with the project's settings; returns the run's manifest."""
import logging
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from etl.store import read_manifest


class CrawlFailed(RuntimeError):
    pass


def crawl(spider, data_dir, delay=None, log_level="WARNING", overrides=None, **spider_args):
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("TRIALS_DATA", str(data_dir), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if delay is not None:
        settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
    process.start()
    logging.getLogger().handlers.clear()
    run_dir = crawler.stats.get_value("trials/run_dir")
    if not run_dir:
        reason = crawler.stats.get_value("trials/error") or "the crawl did not start; see the log above"
        raise CrawlFailed(reason)
    return read_manifest(Path(run_dir))
