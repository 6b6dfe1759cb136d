"""A local stand-in for the ClinicalTrials.gov API v2, on 127.0.0.1 only, for the demo and the tests.

It serves the studies it is given with the API's paging (`pageSize`, opaque `pageToken` →
`nextPageToken`), `query.term`, `filter.advanced=AREA[LastUpdatePostDate]RANGE[from,MAX]`,
`countTotal`, and `/studies/{nctId}`. `studies` may be replaced between crawls to simulate the
registry changing.
"""
import base64
import contextlib
import json
import re
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from trials.local_http import QuietHandler, running

RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[([^,\]]*),\s*([^\]]*)\]")


def _last_update(study):
    status = study["protocolSection"].get("statusModule", {})
    return status.get("lastUpdatePostDateStruct", {}).get("date", "")


class ApiHandler(QuietHandler):
    server_version = "LocalCtgov/2"

    def do_GET(self):
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        self.server.requests.append(self.path)
        if url.path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if url.path.rstrip("/") == "/api/v2/studies":
            return self.send(200, self.server.page(params))
        match = re.fullmatch(r"/api/v2/studies/(NCT\d{8})", url.path)
        if match and match.group(1) in self.server.studies:
            return self.send(200, self.server.studies[match.group(1)])
        self.send(404, json.dumps({"error": f"not found: {url.path}"}).encode())


class LocalApi(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, studies, port=0):
        super().__init__(("127.0.0.1", port), ApiHandler)
        self.studies = dict(studies)
        self.requests = []

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/api/v2"

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
        size = min(int(params.get("pageSize", 10)), 1000)
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
def serve(studies):
    """Run a LocalApi in a background thread for the duration of the block."""
    with running(LocalApi(studies)) as server:
        yield server
