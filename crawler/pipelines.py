"""Hands what spiders yield to the run's store in etl; nothing is parsed here."""
from scrapy import signals
from scrapy.exceptions import CloseSpider

from trials.crawler.items import Checkpoint, FetchFailure, UnreadablePage
from trials.etl.record import Unreadable
from trials.etl.store import RunLocked, RunWriter


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.writer = None

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
            ).__enter__()
        except RunLocked as exc:
            self.crawler.stats.set_value("trials/error", str(exc))
            raise CloseSpider("locked") from None
        self.writer.manifest["log_file"] = self.crawler.settings.get("LOG_FILE")
        self.crawler.stats.set_value("trials/run_id", self.writer.run_id)

    def process_item(self, item):
        if isinstance(item, FetchFailure):
            self.writer.give_up(item.url, item.reason)
        elif isinstance(item, Checkpoint):
            self.writer.checkpoint(item.state)
        elif isinstance(item, UnreadablePage):  # quarantined whole, as the batch refuses it
            self.writer.add(item.source, item.url, item.fetched_at, Unreadable("page", item.reason, item.body))
        else:
            self.writer.add(item.source, item.url, item.fetched_at, item.body)
        return item

    def spider_closed(self, spider, reason):
        if self.writer is None:
            return
        if reason == "finished":
            # A callback that raised lost what it would have yielded: the run must say so.
            failed = self.crawler.stats.get_value("spider_exceptions/count", 0)
            if failed:
                self.writer.error(f"{failed} responses could not be handled (spider exceptions; see the log)")
            self.writer.manifest["as_of"] = getattr(spider, "as_of", None) or self.writer.manifest.get("as_of")
            self.writer.__exit__(None, None, None)
            self.crawler.stats.set_value("trials/run_dir", str(self.writer.run_dir))
        else:  # shutdown, cancelled: keep the last checkpoint for --resume
            self.writer.close()
            self.crawler.stats.set_value("trials/error", f"run {self.writer.run_id} stopped ({reason}) "
                                         "before the end; continue it with --resume")
