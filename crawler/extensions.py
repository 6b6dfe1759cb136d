"""Shows a crawl's progress (etl/progress.py): records fetched out of the registry's count, rate, ETA.

The spider says how many records to expect once it knows (`expected_records`, from the API's
totalCount); this extension only counts what the spider yields.
"""
from scrapy import signals

from trials.crawler.items import RawRecord
from trials.etl.progress import Progress


class CrawlProgress:
    def __init__(self, crawler):
        self.crawler = crawler
        self.progress = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self):
        self.progress = Progress(f"crawl {self.crawler.spider.name}")

    def item_scraped(self, item):
        if isinstance(item, RawRecord):
            self.progress.total = getattr(self.crawler.spider, "expected_records", None)
            self.progress.advance()

    def spider_closed(self):
        self.progress.close()
