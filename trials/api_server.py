"""A local stand-in for the ClinicalTrials.gov API v2, on 127.0.0.1 only, for the demo and the tests.

It serves the studies it is given with the API's paging (`pageSize`, opaque `pageToken` →
`nextPageToken`), `query.term`, `filter.advanced=AREA[LastUpdatePostDate]RANGE[from,MAX]`,
`countTotal`, `/studies/{nctId}`, and `/version` (`dataTimestamp`: the time of the data it serves).
`studies` may be replaced between crawls to simulate the registry changing; `max_page_size` and
`page_delay` (seconds per page) make a crawl long enough to interrupt.
"""
import base64
import contextlib
import ipaddress
import json
import re
import sys
import time
from http.server import ThreadingHTTPServer

from trials.local_http import QuietHandler, running

RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[([^,\]]*),\s*([^\]]*)\]")


def _last_update(study):
    status = study["protocolSection"].get("statusModule", {})
    return status.get("lastUpdatePostDateStruct", {}).get("date", "")


class ApiHandler(QuietHandler):
    server_version = "LocalCtgov/2"

    def do_GET(self):
        url, params = self.recorded_request()
        if url.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if url.path.rstrip("/") == "/api/v2/version":
            return self.send(200, json.dumps({"apiVersion": "2.0.5",
                                              "dataTimestamp": self.server.data_timestamp}).encode())
        if url.path.rstrip("/") == "/api/v2/studies":
            return self.send(200, self.server.page(params))
        match = re.fullmatch(r"/api/v2/studies/(NCT\d{8})", url.path)
        if match and match.group(1) in self.server.studies:
            return self.send(200, self.server.studies[match.group(1)])
        self.send(404, json.dumps({"error": f"not found: {url.path}"}).encode())


class LocalApi(ThreadingHTTPServer):
    daemon_threads = True
    handler = ApiHandler

    def __init__(self, studies, host="127.0.0.1", max_page_size=1000, page_delay=0.0, data_timestamp=None):
        if not ipaddress.ip_address(host).is_loopback:  # never reachable from outside the machine
            raise ValueError(f"a local server binds to a loopback address, not {host}")
        super().__init__((host, 0), self.handler)
        self.studies = dict(studies)
        self.requests = []  # (path, user agent) of every request, for the tests
        self.max_page_size = max_page_size
        self.page_delay = page_delay
        # The registry's format: UTC, yyyy-MM-dd'T'HH:mm:ss; by default the time the server started.
        self.data_timestamp = data_timestamp or time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())

    def handle_error(self, request, client_address):
        """A client that went away mid-response (a crawl killed on purpose) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def base_url(self):
        return f"http://{self.server_address[0]}:{self.server_address[1]}/api/v2"

    def matching(self, params):
        ids = sorted(self.studies)
        term = params.get("query.term", "").lower()
        since = RANGE.search(params.get("filter.advanced", ""))
        for nct_id in ids:
            body = self.studies[nct_id]
            if term and term not in body.decode("utf-8").lower():
                continue
            if since and since.group(1) and _last_update(json.loads(body)) < since.group(1):
                continue
            yield nct_id

    def page(self, params):
        ids = list(self.matching(params))
        size = min(int(params.get("pageSize", 10)), self.max_page_size)
        time.sleep(self.page_delay)
        token = params.get("pageToken")
        offset = int(base64.urlsafe_b64decode(token)) if token else 0
        chunk = ids[offset:offset + size]
        page = {"studies": [json.loads(self.studies[i]) for i in chunk]}
        if offset + size < len(ids):
            page["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        if params.get("countTotal") == "true":
            page["totalCount"] = len(ids)
        return json.dumps(page).encode()


@contextlib.contextmanager
def serve(studies, server_class=LocalApi, **options):
    """Run a LocalApi (or a subclass, with its options) in a background thread for the block."""
    with running(server_class(studies, **options)) as server:
        yield server
