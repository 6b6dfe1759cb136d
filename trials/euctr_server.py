"""A local stand-in for the EU Clinical Trials Register, on 127.0.0.1 only, for the demo and the tests.

It serves the country records it is given (full-text records as the register writes them, see
etl/euctr.py) at the register's endpoints, as ctrdata reads them:
- `/ctr-search/search?query=Q&page=N`: a results page, 20 trials a page (`page_size`), with the register's
  "Trials with a EudraCT protocol (N)" and a link per country record;
- `/ctr-search/rest/download/full?query=Q&page=N&mode=current_page`: the full text of that page's
  trials, every country record, as the register's download;
- `/ctr-search/rest/download/trial/{eudract}/{country}`: the full text of one country record.
A query matches a trial when every word of it is in one of its records (case-insensitive), or names
its EudraCT number. `records` may be replaced between crawls to simulate the register changing;
`page_delay` (seconds per page) makes a crawl long enough to interrupt.
"""
import contextlib
import html
import ipaddress
import re
import sys
import time
from http.server import ThreadingHTTPServer

from trials.local_http import QuietHandler, running

PAGE_SIZE = 20
DOWNLOAD_HEADER = ("This file contains full details on each clinical trial selected for download. Where multi-state "
                   "trials have been downloaded full information for each of the member states/countries involved "
                   "in the trial are included separately.\n\n")
_RECORD = re.compile(r"^Summary\n(?=EudraCT Number:)", re.M)
_LINK = re.compile(r"^Link: .*/trial/(\d{4}-\d{6}-\d{2})/(\w+)/?\s*$", re.M)


class EuctrHandler(QuietHandler):
    server_version = "LocalEuctr/1"

    def do_GET(self):
        url, params = self.recorded_request()
        if url.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if url.path == "/ctr-search/search":
            return self.send(200, self.server.results_page(params), "text/html; charset=utf-8")
        if url.path == "/ctr-search/rest/download/full":
            return self.send(200, self.server.download(params), "text/plain; charset=utf-8")
        match = re.fullmatch(r"/ctr-search/rest/download/trial/(\d{4}-\d{6}-\d{2})/(\w+)", url.path)
        if match and match.groups() in self.server.by_country:
            body = DOWNLOAD_HEADER + "Summary\n" + self.server.by_country[match.groups()]
            return self.send(200, body.encode(), "text/plain; charset=utf-8")
        self.send(404, f"not found: {url.path}".encode(), "text/plain")


class LocalEuctr(ThreadingHTTPServer):
    daemon_threads = True
    handler = EuctrHandler

    def __init__(self, download, host="127.0.0.1", page_size=PAGE_SIZE, page_delay=0.0):
        """`download`: the bytes of one or more full-text downloads, whose records it serves."""
        if not ipaddress.ip_address(host).is_loopback:  # never reachable from outside the machine
            raise ValueError(f"a local server binds to a loopback address, not {host}")
        super().__init__((host, 0), self.handler)
        self.records = download
        self.requests = []  # (path, user agent) of every request, for the tests
        self.page_size = page_size
        self.page_delay = page_delay

    @property
    def records(self):
        return self._records

    @records.setter
    def records(self, download):
        """Country records (text after `Summary\\n`) by trial, in the download's order."""
        self._records = {}
        self.by_country = {}
        for text in _RECORD.split(download.decode())[1:]:
            eudract, country = _LINK.search(text).groups()
            self._records.setdefault(eudract, []).append(text)
            self.by_country[(eudract, country)] = text  # the later version of a record twice served

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def base_url(self):
        return f"http://{self.server_address[0]}:{self.server_address[1]}"

    def matching(self, query):
        query = (query or "").strip()
        named = re.fullmatch(r"(?:eudract_number:)?(\d{4}-\d{6}-\d{2})", query)
        words = query.lower().split()
        for eudract in sorted(self._records, reverse=True):  # the register lists the newest first
            text = "\n".join(self._records[eudract]).lower()
            if (named and named.group(1) == eudract) or (not named and all(w in text for w in words)):
                yield eudract

    def page_of(self, params):
        trials = list(self.matching(params.get("query")))
        page = max(int(params.get("page", 1) or 1), 1)
        time.sleep(self.page_delay)
        return trials, trials[(page - 1) * self.page_size:page * self.page_size]

    def results_page(self, params):
        trials, shown = self.page_of(params)
        rows = []
        for eudract in shown:
            countries = [_LINK.search(text).group(2) for text in self._records[eudract]]
            links = " ".join(f'<a href="/ctr-search/trial/{eudract}/{c}">{c}</a>' for c in dict.fromkeys(countries))
            rows.append(f'<table class="result"><tr><td><span class="label">EudraCT Number:</span> {eudract}'
                        f'</td></tr><tr><td><span class="label">Trial protocol:</span> {links}</td></tr></table>')
        return (f"<html><head><title>Clinical trials for {html.escape(params.get('query', ''))}</title></head><body>"
                f'<div class="outcome">Trials with a EudraCT protocol ({len(trials)})</div>'
                f"{''.join(rows)}</body></html>").encode()

    def download(self, params):
        _, shown = self.page_of(params)
        records = [text for eudract in shown for text in self._records[eudract]]
        return (DOWNLOAD_HEADER + "".join(f"Summary\n{text.rstrip()}\n\n" for text in records)).encode()


@contextlib.contextmanager
def serve(download, **options):
    """Run a LocalEuctr in a background thread for the block."""
    with running(LocalEuctr(download, **options)) as server:
        yield server
