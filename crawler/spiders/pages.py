"""Mirror sites: from a listing page or a sitemap.xml, follows pagination and trial links on the same
site and yields each trial page as it came (parsing is etl/mirror_page.py's job).

A sitemap's URLs are requested a few at a time, the next as one is answered (and when the crawl falls
idle): a sitemap of a million URLs costs the memory of the few in flight, the first trial pages come at
once, and a stop does not wait for a million requests to be scheduled. A trial page is yielded with its
HTTP `Content-Type`, where a server may declare the page's charset and nowhere else.

A trial link is one whose path names an NCT id; a listing link is a `rel=next` link or one that pages
a listing: a `page=N` query parameter or a `/page/N` path segment (not any URL that says "page":
`/homepage`, `/pages/about`). Links to other hosts are never followed; robots.txt is obeyed (ROBOTSTXT_OBEY).
"""
import re
from collections import deque
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.utils.sitemap import Sitemap

from trials.crawler.items import FetchFailure, RawRecord
from trials.crawler.middlewares import OffsiteRedirect
from trials.etl.mirror_page import PageBody

TRIAL_LINK = re.compile(r"NCT\d{8}")
LISTING_LINK = re.compile(r"[?&]page=\d+(&|$)|/page/\d+/?(\?|$)", re.I)
SITEMAP_FEED = 16  # sitemap URLs requested at once; then one more as each is answered


class PagesSpider(scrapy.Spider):
    name = "pages"
    source = "mirror_page"

    def __init__(self, start_url=None, **kwargs):
        super().__init__(**kwargs)
        if not start_url:
            raise ValueError("the pages spider needs a start_url (a listing page or a sitemap.xml)")
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc
        self.allowed_domains = [urlsplit(start_url).hostname]
        self.run_options = {"start_url": start_url}
        self.sitemaps = deque()  # iterators over the (url, is_trial) of sitemaps not requested yet

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    async def start(self):
        yield self.follow(self.start_url, trial=False)

    def follow(self, url, trial):
        callback = self.parse_trial if trial else self.parse_listing
        return scrapy.Request(url, callback=callback, errback=self.failed)

    def same_site(self, url):
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc == self.host

    def parse_listing(self, response):
        if b"<urlset" in response.body[:1024] or b"<sitemapindex" in response.body[:1024]:
            self.sitemaps.append(self.sitemap_entries(response))
            yield from self.from_sitemaps(SITEMAP_FEED)
            return
        yield from self.links(response)
        yield from self.from_sitemaps(1)

    def sitemap_entries(self, response):
        sitemap = Sitemap(response.body)  # streamed: lxml's iterparse, each entry cleared once read
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if self.same_site(url):
                yield url, sitemap.type == "urlset" and bool(TRIAL_LINK.search(urlsplit(url).path))

    def from_sitemaps(self, count):
        """Up to `count` requests for the next URLs of the sitemaps read so far."""
        while count and self.sitemaps:
            entry = next(self.sitemaps[0], None)
            if entry is None:
                self.sitemaps.popleft()
                continue
            count -= 1
            yield self.follow(*entry)

    def idle(self):
        """Nothing in flight (the last answers brought no new request, or were duplicates): feed more."""
        if self.sitemaps:
            for request in self.from_sitemaps(SITEMAP_FEED):
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    def links(self, response):
        """Trial links, and (from listings) the next listing pages, on this site only."""
        for link in response.css("a[href]"):
            url = response.urljoin(link.attrib["href"]).split("#")[0]
            if not self.same_site(url):
                continue
            if TRIAL_LINK.search(urlsplit(url).path):
                yield self.follow(url, trial=True)
            elif "next" in link.attrib.get("rel", "").split() or LISTING_LINK.search(url):
                yield self.follow(url, trial=False)

    def parse_trial(self, response):
        content_type = response.headers.get("Content-Type")
        body = PageBody(response.body, content_type.decode("latin-1") if content_type else None)
        yield RawRecord(self.source, response.url, datetime.now(timezone.utc), body)
        yield from self.links(response)
        yield from self.from_sitemaps(1)

    def failed(self, failure):
        yield from self.from_sitemaps(1)
        if failure.check(IgnoreRequest) and not failure.check(OffsiteRedirect):  # robots.txt said no
            return
        yield FetchFailure(failure.request.url, repr(failure.value))
