# Scrapy settings of the trials crawler: polite by default, as a guest of the registries it reads.
import os

BOT_NAME = "trials"
SPIDER_MODULES = ["trials.crawler.spiders"]
NEWSPIDER_MODULE = "trials.crawler.spiders"

USER_AGENT = "trials/0.1 (clinical-trial registry crawler; obeys robots.txt, Retry-After and backoff)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Backoff between retries: BASE * 2**attempt seconds, or the server's Retry-After, capped at MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "trials.crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "trials.crawler.middlewares.SameHostRedirectMiddleware": 600,
}
ITEM_PIPELINES = {"trials.crawler.pipelines.StorePipeline": 300}
EXTENSIONS = {"trials.crawler.extensions.CrawlProgress": 500}

# Where the run's Parquet lands: $TRIALS_DATA or ./data; `trials crawl --data DIR` overrides it.
TRIALS_DATA = os.environ.get("TRIALS_DATA") or "data"

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
