"""Retries with exponential backoff that honour the server's Retry-After; redirects on one host only."""
import asyncio
import email.utils
import time

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached


def retry_after_seconds(value):
    """A Retry-After header (seconds, or an HTTP date) -> seconds to wait; None when unreadable."""
    if not value:
        return None
    value = value.decode("latin-1").strip() if isinstance(value, bytes) else value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")

    def _delay(self, request, retry_after=None):
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after if retry_after is not None else self.backoff_base * 2 ** attempt
        return min(delay, self.backoff_max)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(self._delay(request, retry_after_seconds(response.headers.get("Retry-After"))))
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._delay(request))
        return retry


class OffsiteRedirect(IgnoreRequest):
    """A redirect to another host, refused: unlike robots.txt's refusals, a failed fetch to report."""


class SameHostRedirectMiddleware(RedirectMiddleware):
    """A record moved to another host is a failed fetch, reported through the request's errback.

    Scrapy's offsite filter would drop such a redirect without a word, and following it would let any
    server send the crawler anywhere.
    """

    def process_response(self, request, response):
        result = super().process_response(request, response)
        if isinstance(result, Request) and urlparse_cached(result).hostname != urlparse_cached(request).hostname:
            raise OffsiteRedirect(f"redirect to another host not followed: {result.url}")
        return result
