"""Hands what spiders yield on to etl: raw records, a batch at a time, to the parser and then to the
run's store; fetch failures and checkpoints to the store. Nothing is parsed or written here.

A record the store could not write (a full disk, say) fails the run: the crawl stops at once, the run
keeps its last checkpoint for `--resume`, and nothing after it is counted as stored.
"""
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro

from trials.crawler.items import Checkpoint, FetchFailure
from trials.etl.batch import parse_batch
from trials.etl.run_folders import CorruptRun
from trials.etl.store import RunLocked, RunWriter

# Raw records parsed at once: big enough for the parsers' batch speed, small enough to keep in memory.
BATCH_RECORDS = 2000


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.writer = None
        self.raw = []
        self.failure = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run commits only when the crawl finished: spider_closed, unlike close_spider, knows why.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        try:
            self.writer = RunWriter(
                self.crawler.settings.get("TRIALS_DATA"), source=spider.name,
                since=getattr(spider, "since", None), options=getattr(spider, "run_options", {}),
                resume=getattr(spider, "resume", None),
            ).open()
        except (RunLocked, CorruptRun, OSError) as exc:
            self.crawler.stats.set_value("trials/error", str(exc))
            raise CloseSpider("store_failed") from None
        self.writer.manifest["log_file"] = self.crawler.settings.get("LOG_FILE")
        self.crawler.stats.set_value("trials/run_id", self.writer.run_id)

    def process_item(self, item):
        if self.failure is None:
            try:
                self.hand_on(item)
            except Exception as exc:  # not Scrapy's to log and forget: the run cannot be stored whole
                self.failure = f"{type(exc).__name__}: {exc}"
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_failed"))
        return item

    def hand_on(self, item):
        if isinstance(item, FetchFailure):
            self.writer.give_up(item.url, item.reason)
        elif isinstance(item, Checkpoint):
            self.parse_raw()
            self.writer.checkpoint(item.state)
        else:
            self.raw.append((item.source, item.url, item.fetched_at, item.body))
            if len(self.raw) >= BATCH_RECORDS:
                self.parse_raw()

    def parse_raw(self):
        if self.raw:
            self.writer.add_batch(parse_batch(self.raw, self.writer.run_id, self.writer.next_record))
            self.raw = []

    def spider_closed(self, spider, reason):
        if self.writer is None:
            return
        if reason == "finished" and self.failure is None:
            # A callback that raised lost what it would have yielded: the run must say so.
            failed = self.crawler.stats.get_value("spider_exceptions/count", 0)
            if failed:
                self.writer.error(f"{failed} responses could not be handled (spider exceptions; see the log)")
            for problem in getattr(spider, "shortfall", lambda: [])():
                self.writer.error(problem)
            self.writer.manifest["as_of"] = getattr(spider, "as_of", None) or self.writer.manifest.get("as_of")
            try:
                self.parse_raw()
                self.writer.commit()
            except Exception as exc:
                self.failure = f"{type(exc).__name__}: {exc}"
            else:
                self.crawler.stats.set_value("trials/run_dir", str(self.writer.run_dir))
        self.writer.close()
        if self.failure:
            self.crawler.stats.set_value("trials/error", f"run {self.writer.run_id} could not be stored "
                                         f"({self.failure}); it stopped at its last checkpoint, continue it "
                                         "with --resume")
        elif reason != "finished":  # shutdown, cancelled: keep the last checkpoint for --resume
            self.crawler.stats.set_value("trials/error", f"run {self.writer.run_id} stopped ({reason}) "
                                         "before the end; continue it with --resume")
