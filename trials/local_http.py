"""What the local stand-in servers (the API, the mirror site) share: a quiet handler and a thread."""
import contextlib
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit


class QuietHandler(BaseHTTPRequestHandler):
    """Logs nothing (the crawl's own log is what matters) and answers with one call."""

    def log_message(self, *args):
        pass

    def recorded_request(self):
        """The request's URL parts and query parameters (the last of each), noted in the server's
        `requests` as (path, User-Agent) for the tests to check the crawler's manners."""
        url = urlsplit(self.path)
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        return url, {k: v[-1] for k, v in parse_qs(url.query).items()}

    def send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def running(server):
    """Serve in a background thread for the duration of the block."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
