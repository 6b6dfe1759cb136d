"""A local API v2 on 127.0.0.1 that misbehaves on purpose: the faults of real servers, on cue.

`FaultApi.faults` maps a URL path to a script: one step per request to that path, the last step
repeating. A step is a function of the request handler that answers (badly), or None to answer
normally. Every request is logged with its time in `hits`, so tests can count retries and backoff.
"""
import base64
import gzip
import json
import socket
import struct
import time
from urllib.parse import urlsplit

from trials.api_server import ApiHandler, LocalApi


class FaultHandler(ApiHandler):
    def do_GET(self):
        path = urlsplit(self.path).path
        script = self.server.faults.get(path)
        n = sum(1 for hit, _ in self.server.hits if hit == path)
        self.server.hits.append((path, time.monotonic()))
        step = script[min(n, len(script) - 1)] if script else None
        if step is None:
            return super().do_GET()
        step(self)


class FaultApi(LocalApi):
    handler = FaultHandler
    request_queue_size = 128  # the crawl opens dozens of connections at once; the default backlog is 5

    def __init__(self, studies, page_size=None, repeat_tokens=False, endless_tokens=False, **options):
        super().__init__(studies, **options)
        self.faults = {}
        self.hits = []
        self.page_size = page_size          # small pages, whatever the client asks
        self.repeat_tokens = repeat_tokens  # every page after the first hands back the token it got
        self.endless_tokens = endless_tokens  # a new token on every page, the studies served round and round

    def page(self, params):
        if self.page_size:
            params = {**params, "pageSize": str(self.page_size)}
        if self.endless_tokens:
            pages = -(-len(self.studies) // int(params["pageSize"]))
            n = int(params.get("pageToken", "0"))
            page = json.loads(super().page({**params, "pageToken": _offset_token((n % pages) * int(params["pageSize"]))}))
            return json.dumps({**page, "nextPageToken": str(n + 1)}).encode()
        page = super().page(params)
        if self.repeat_tokens and params.get("pageToken"):
            page = json.dumps({**json.loads(page), "nextPageToken": params["pageToken"]}).encode()
        return page

    def hits_of(self, path):
        return [at for hit, at in self.hits if hit == path]


def _offset_token(offset):
    return base64.urlsafe_b64encode(str(offset).encode()).decode() if offset else None


# Steps: each returns a function of the handler.

def status(code, headers=()):
    def step(h):
        h.send_response(code)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return step


def body(data, content_type="application/json", headers=()):
    def step(h):
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
    return step


def redirect(location):
    return status(302, [("Location", location)])


def hang(seconds):
    """Accept the request and say nothing: the client's DOWNLOAD_TIMEOUT must fire."""
    return lambda h: time.sleep(seconds)


def reset(h):
    """Close with a TCP RST (SO_LINGER 0) before answering: 'connection reset by peer'."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def stall(data, seconds):
    """Promise the whole body, send half of it, then stall."""
    def step(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data[: len(data) // 2])
        h.wfile.flush()
        time.sleep(seconds)
    return step


def gzip_bomb(decompressed_mb):
    """A small gzip body that inflates to `decompressed_mb` MB of zeros."""
    packed = gzip.compress(b"\0" * (decompressed_mb << 20), compresslevel=9)
    return body(packed, headers=[("Content-Encoding", "gzip")])


# Short timeouts and backoff for crawls of a FaultApi, passed as `trials crawl ... --set NAME=VALUE`.
FAST_SETTINGS = {
    "DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 3, "RETRY_BACKOFF_BASE": 0.05, "RETRY_BACKOFF_MAX": 2,
    "DOWNLOAD_MAXSIZE": 1 << 20, "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
}
FAST_ARGS = [arg for name, value in FAST_SETTINGS.items() for arg in ("--set", f"{name}={value}")]
