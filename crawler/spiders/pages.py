"""Mirror sites: from a listing page or a sitemap.xml, follows pagination and trial links on the same
site and yields each trial page as it came (parsing is etl/mirror_page.py's job).

A trial link is one whose path names an NCT id; a listing link is a `rel=next` link or one that pages
a listing: a `page=N` query parameter or a `/page/N` path segment (not any URL that says "page":
`/homepage`, `/pages/about`). Links to other hosts are never followed; robots.txt is obeyed (ROBOTSTXT_OBEY).
"""
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.sitemap import Sitemap

from trials.crawler.items import FetchFailure, RawRecord
from trials.crawler.middlewares import OffsiteRedirect

TRIAL_LINK = re.compile(r"NCT\d{8}")
LISTING_LINK = re.compile(r"[?&]page=\d+(&|$)|/page/\d+/?(\?|$)", re.I)


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
            yield from self.parse_sitemap(response)
            return
        yield from self.links(response)

    def parse_sitemap(self, response):
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if not self.same_site(url):
                continue
            is_trial = sitemap.type == "urlset" and bool(TRIAL_LINK.search(urlsplit(url).path))
            yield self.follow(url, trial=is_trial)

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
        yield RawRecord(self.source, response.url, datetime.now(timezone.utc), response.body)
        yield from self.links(response)

    def failed(self, failure):
        if failure.check(IgnoreRequest) and not failure.check(OffsiteRedirect):  # robots.txt said no
            return
        yield FetchFailure(failure.request.url, repr(failure.value))
