"""Hands what spiders yield to the run's store in etl; nothing is parsed here."""
from crawler.items import FetchFailure, UnreadablePage
from etl.store import RunWriter


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.writer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        self.writer = RunWriter(
            self.crawler.settings.get("TRIALS_DATA"), source=spider.name,
            since=getattr(spider, "since", None), options=getattr(spider, "run_options", {}),
        ).__enter__()
        self.crawler.stats.set_value("trials/run_id", self.writer.run_id)

    def process_item(self, item):
        if isinstance(item, FetchFailure):
            self.writer.give_up(item.url, item.reason)
        elif isinstance(item, UnreadablePage):
            self.writer.reject(item.source, item.url, item.fetched_at, "page", item.reason, item.body)
        else:
            self.writer.add(item.source, item.url, item.fetched_at, item.body)
        return item

    def close_spider(self):
        self.writer.__exit__(None, None, None)
        self.crawler.stats.set_value("trials/run_dir", str(self.writer.run_dir))
