"""EU Clinical Trials Register: the full-text downloads of a search, every member state's record.

With a query, reads the first results page for the count ("Trials with a EudraCT protocol (N)") and
the trials a page lists (20 on the register), then fetches each page's full-text download
(`/ctr-search/rest/download/full?query=...&page=i&mode=current_page`) in order; with ids, the download of each EudraCT number. It yields one RawRecord
per country record (the download cut by etl/euctr.py's `split_text`; parsing is the store's job) and a
Checkpoint after each page or id, from which a crawl resumed with `resume` starts again.

The register has no last-update filter, so there is no `--since`: a scheduled crawl fetches the
search again and the store keeps only the records whose content changed.
"""
import math
import re
from datetime import datetime, timezone
from urllib.parse import urlencode

import scrapy

from trials.crawler.items import Checkpoint, FetchFailure, RawRecord
from trials.etl.euctr import EUDRACT, split_text
from trials.etl.record import ParseError, Unreadable

REGISTER = "https://www.clinicaltrialsregister.eu"
TOTAL = re.compile(rb"Trials with a EudraCT protocol \(([\d,.\s]+)\)")
LISTED_TRIAL = re.compile(rb"EudraCT Number:")


class EuctrSpider(scrapy.Spider):
    name = "euctr"
    source = "euctr_text"
    custom_settings = {
        # ctrdata's pace for the register's downloads; each is up to 20 trials of every country.
        "DOWNLOAD_DELAY": 1.0,
    }

    def __init__(self, base_url=REGISTER, query=None, ids=None, max_records=None, since=None, resume=None,
                 **kwargs):
        super().__init__(**kwargs)
        if since:
            raise ValueError("the EU register has no last-update filter: crawl euctr takes no --since "
                             "(records fetched again unchanged are not stored again)")
        self.base_url = base_url.rstrip("/")
        self.query = query or ""
        self.ids = [i.strip() for i in ids.split(",") if i.strip()] if isinstance(ids, str) else list(ids or [])
        bad = [i for i in self.ids if not EUDRACT.match(i)]
        if bad:
            raise ValueError(f"not EudraCT numbers (YYYY-NNNNNN-CC): {', '.join(bad)}")
        self.max_records = int(max_records) if max_records else None
        self.run_options = {"base_url": self.base_url, "query": query, "ids": self.ids,
                            "max_records": self.max_records}
        self.resume = resume
        position = resume["state"] if resume else {}
        self.yielded = position.get("yielded", 0)
        self.next_page = position.get("page", 1)
        self.pages = position.get("pages")
        self.next_id = position.get("id_index", 0)
        self.expected_records = None

    def download_url(self, query, page):
        return (f"{self.base_url}/ctr-search/rest/download/full?"
                + urlencode({"query": query, "page": page, "mode": "current_page"}))

    async def start(self):
        if self.ids:
            if self.next_id < len(self.ids):
                yield self.id_request(self.next_id)
        elif self.pages:  # resumed: the page count is the checkpoint's
            yield self.page_request(self.next_page, self.pages)
        else:
            url = f"{self.base_url}/ctr-search/search?" + urlencode({"query": self.query, "page": 1})
            yield scrapy.Request(url, callback=self.parse_results, errback=self.failed)

    def id_request(self, index):
        return scrapy.Request(self.download_url(self.ids[index], 1), callback=self.parse_download,
                              errback=self.failed, cb_kwargs={"index": index}, dont_filter=True)

    def page_request(self, page, pages):
        return scrapy.Request(self.download_url(self.query, page), callback=self.parse_download,
                              errback=self.failed, cb_kwargs={"page": page, "pages": pages}, dont_filter=True)

    def parse_results(self, response):
        match = TOTAL.search(response.body)
        if not match:
            yield FetchFailure(response.url, "the results page does not say how many trials match")
            return
        total = int(re.sub(rb"\D", b"", match.group(1)))
        listed = len(LISTED_TRIAL.findall(response.body))
        if total and not listed:
            yield FetchFailure(response.url, f"the results page lists none of the {total} trials it counts")
            return
        pages = math.ceil(total / listed) if total else 0
        if pages:
            yield self.page_request(1, pages)

    def parse_download(self, response, page=None, pages=None, index=None):
        try:
            records = split_text(response.body)
        except ParseError as exc:
            yield RawRecord(self.source, response.url, datetime.now(timezone.utc),
                            Unreadable("page", str(exc), response.body))
            records = []
        for number, body in enumerate(records, 1):
            if self.max_records and self.yielded >= self.max_records:
                return
            self.yielded += 1
            yield RawRecord(self.source, f"{response.url}#{number}", datetime.now(timezone.utc), body)
        if index is not None:
            if index + 1 < len(self.ids):
                yield Checkpoint({"id_index": index + 1, "yielded": self.yielded})
                yield self.id_request(index + 1)
        elif page < pages:
            yield Checkpoint({"page": page + 1, "pages": pages, "yielded": self.yielded})
            yield self.page_request(page + 1, pages)

    def failed(self, failure):
        """Called once the retries are spent (or for a fault no retry can mend)."""
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else repr(failure.value)
        yield FetchFailure(failure.request.url, f"{reason} (retries: {failure.request.meta.get('retry_times', 0)})")
