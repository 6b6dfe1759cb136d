"""ClinicalTrials.gov API v2: pages through /studies, or fetches /studies/{nctId} for given ids.

Yields one RawRecord per study; the JSON of a page is read only to split it and to find the next page.
It first asks `/version` for the registry's `dataTimestamp`, the date the run's data describes
(`as_of`, recorded in the run's manifest); without one, the build dates the run by when it finished.
After each page's records it yields a Checkpoint with the next page's token, from which a crawl
resumed with `resume` (the checkpoint of the interrupted run, see etl/store.py) starts again.
The registry's `totalCount` is checked both ways: paging that goes on past it stops with an error,
and a crawl that ends short of it (an unreadable page, a page given up) says so in its errors.
"""
import codecs
import json
from datetime import datetime, timezone
from urllib.parse import urlencode

import scrapy
from scrapy.http import TextResponse

from trials.crawler.items import Checkpoint, FetchFailure, RawRecord
from trials.etl.record import Unreadable

API_ROOT = "https://clinicaltrials.gov/api/v2"
PAGE_SIZE = 1000


class CtgovSpider(scrapy.Spider):
    name = "ctgov"
    source = "ctgov_api"
    custom_settings = {
        # robots.txt governs the registry's HTML pages, not its documented API.
        "ROBOTSTXT_OBEY": False,
        # The API allows about 50 requests a minute per client.
        "DOWNLOAD_DELAY": 1.2,
    }

    def __init__(self, base_url=API_ROOT, query=None, since=None, max_records=None, ids=None, resume=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.query = query
        self.since = since
        self.max_records = int(max_records) if max_records else None
        self.ids = [i.strip() for i in ids.split(",") if i.strip()] if isinstance(ids, str) else list(ids or [])
        self.run_options = {"base_url": self.base_url, "query": query, "max_records": self.max_records,
                            "ids": self.ids}
        self.resume = resume
        position = resume["state"] if resume else {}
        self.yielded = position.get("yielded", 0)
        self.resume_token = position.get("page_token")
        self.seen_tokens = set()
        self.total = position.get("total")  # the registry's totalCount for this query, once known
        # How many records the crawl will yield, once known (the API's totalCount), for progress.
        self.expected_records = len(self.ids) or self._expected()
        self.as_of = None  # the registry's dataTimestamp date, once /version answered

    def _expected(self):
        return None if self.total is None else min(self.total, self.max_records or self.total)

    def shortfall(self):
        """Why the crawl, ended, did not get every record the registry counted (for the run's errors)."""
        expected = self._expected()
        if not self.ids and expected is not None and self.yielded < expected:
            return [f"the crawl got {self.yielded} of the {expected} records the registry counted "
                    "(totalCount): the run is incomplete"]
        return []

    def page_url(self, token=None):
        params = {"format": "json", "pageSize": min(PAGE_SIZE, self.max_records or PAGE_SIZE)}
        if self.query:
            params["query.term"] = self.query
        if self.since:
            params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{self.since},MAX]"
        if token:
            params["pageToken"] = token
        else:
            params["countTotal"] = "true"
        return f"{self.base_url}/studies?{urlencode(params)}"

    async def start(self):
        yield scrapy.Request(f"{self.base_url}/version", callback=self.parse_version, errback=self.no_version,
                             dont_filter=True)

    def parse_version(self, response):
        try:
            self.as_of = datetime.fromisoformat(json.loads(response.body)["dataTimestamp"]).date().isoformat()
        except (ValueError, KeyError, TypeError) as exc:
            self.logger.warning(f"{response.url} gave no dataTimestamp ({type(exc).__name__}: {exc})")
        yield from self.first_requests()

    def no_version(self, failure):
        self.logger.warning(f"{failure.request.url} failed ({failure.value!r}); the run is dated by its end")
        yield from self.first_requests()

    def first_requests(self):
        for nct_id in self.ids:
            yield scrapy.Request(f"{self.base_url}/studies/{nct_id}?format=json",
                                 callback=self.parse_study, errback=self.failed)
        if not self.ids:
            yield scrapy.Request(self.page_url(self.resume_token), callback=self.parse_studies, errback=self.failed)

    def record(self, url, body):
        self.yielded += 1
        return RawRecord(self.source, url, datetime.now(timezone.utc), body)

    def parse_study(self, response):
        yield self.record(response.url, utf8_body(response))

    def parse_studies(self, response):
        try:
            page = json.loads(utf8_body(response))
            studies = page["studies"]
            if not isinstance(studies, list):
                raise TypeError(f"studies is a {type(studies).__name__}")
        except (ValueError, KeyError, TypeError) as exc:  # quarantined whole; the pages after it are lost
            reason = f"unreadable page of studies: {type(exc).__name__}: {exc}"
            yield RawRecord(self.source, response.url, datetime.now(timezone.utc),
                            Unreadable("page", reason, response.body))
            yield FetchFailure(response.url, f"{reason}; paging stopped there")
            return
        if isinstance(page.get("totalCount"), int):
            self.total = page["totalCount"]
            self.expected_records = self._expected()
        for study in studies:
            if self.max_records and self.yielded >= self.max_records:
                return
            nct_id = nct_id_of(study)
            yield self.record(f"{self.base_url}/studies/{nct_id}", json.dumps(study).encode())
        token = page.get("nextPageToken")
        if token in self.seen_tokens:
            yield FetchFailure(response.url, f"nextPageToken {token!r} repeats; paging stopped")
        elif token and self.total is not None and self.yielded >= self.total:
            yield FetchFailure(response.url, f"nextPageToken goes on after the {self.total} records the "
                               f"registry counted (totalCount), {self.yielded} fetched; paging stopped")
        elif token and not (self.max_records and self.yielded >= self.max_records):
            self.seen_tokens.add(token)
            yield Checkpoint({"page_token": token, "yielded": self.yielded, "total": self.total})
            yield scrapy.Request(self.page_url(token), callback=self.parse_studies, errback=self.failed)

    def failed(self, failure):
        """Called once the retries are spent (or for a fault no retry can mend)."""
        response = getattr(failure.value, "response", None)
        reason = f"HTTP {response.status}" if response is not None else repr(failure.value)
        yield FetchFailure(failure.request.url, f"{reason} (retries: {failure.request.meta.get('retry_times', 0)})")


def nct_id_of(study):
    """The study's id for its URL; None when the study is not shaped like one (the parser says why)."""
    try:
        return study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None


def utf8_body(response):
    """The body in UTF-8, which JSON parsers expect: the server may declare another charset or send a BOM."""
    if isinstance(response, TextResponse) and codecs.lookup(response.encoding).name != "utf-8":
        return response.text.encode("utf-8")
    return response.body
