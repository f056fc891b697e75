"""Scrapy settings for a nianbao crawl, from the [crawl] section of nianbao.toml (with defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.parsing import default_parse_workers
from nianbao import __version__
from nianbao.config_values import Keys, boolean, host_port, list_of, number, text, url, whole

DEFAULTS: dict[str, Any] = {
    "contact": "",                 # an email or URL site operators can reach us at (User-Agent)
    "obey_robots": True,
    "concurrency": 16,             # requests in flight overall
    "per_site": 2,                 # requests in flight per county site
    "download_delay": 0.5,         # seconds; AutoThrottle adapts from here
    "autothrottle": True,
    "timeout": 30,
    "retries": 2,
    "max_bytes": 50 * 1024 * 1024,
    "max_depth": 6,
    "max_pages_per_site": 3000,
    "allow_private_networks": False,
    "allowed_private_hosts": [],   # host:port allowed even when private networks are not
    # Scrapy's own JOBDIR request queue on disk. Off by default: it halves throughput (bench/crawl.py), and a
    # killed crawl resumes without it (rediscovery + the journal of stored documents in data_dir/crawl-job).
    "persist_queue": False,
    "parse_workers": None,         # processes parsing documents (default: cores − 1, at least 1; 0 = in-thread)
    # A Redis shared by several crawl processes or machines (scrapy-redis frontier); empty = one process, no Redis.
    "redis_url": "",
    # `nianbao crawl` exits with SitesFailedError when more than this share of the sites failed or were blocked
    # (and always when every site did), so cron and monitoring notice a broken network or a blocked crawler.
    "max_failed_share": 0.5,
    # A 429 (or 503) with Retry-After waits as asked, up to this many seconds; a longer wait gives the request up.
    "retry_after_max": 120,
    # Per document, in the parse worker: past either limit the worker is replaced and the document recorded failed.
    "parse_timeout": 120,
    "parse_memory_mb": 2048,
}

# [crawl] as nianbao.toml may set it; `sites` is the sites file `nianbao schedule` reads (see scheduler.py).
CRAWL_KEYS: Keys = {
    "sites": text,
    "contact": text,
    "obey_robots": boolean,
    "concurrency": whole(1),
    "per_site": whole(1),
    "download_delay": number(0),
    "autothrottle": boolean,
    "timeout": number(0, above=True),
    "retries": whole(0),
    "max_bytes": whole(1),
    "max_depth": whole(0),
    "max_pages_per_site": whole(1),
    "allow_private_networks": boolean,
    "allowed_private_hosts": list_of(host_port),
    "persist_queue": boolean,
    "parse_workers": whole(0),
    "redis_url": url("redis", "rediss", "unix", empty_ok=True),
    "max_failed_share": number(0, 1),
    "retry_after_max": number(0),
    "parse_timeout": number(0, above=True),
    "parse_memory_mb": whole(64),
}


def crawl_options(section: dict[str, Any]) -> dict[str, Any]:
    """The [crawl] section over the defaults."""
    return {**DEFAULTS, **section}


def user_agent(contact: str) -> str:
    """A User-Agent naming nianbao and whom to contact."""
    # ASCII only: a header is latin-1 on the wire, and some WAFs reject anything else.
    who = (contact or "contact not configured").encode("ascii", "replace").decode("ascii")
    return f"nianbao/{__version__} (+{who}; monitor of government information disclosure annual reports)"


def scrapy_settings(options: dict[str, Any], jobdir: Path | None) -> dict[str, Any]:
    """The Scrapy settings dict for one crawl."""
    settings: dict[str, Any] = {
        "BOT_NAME": "nianbao",
        "USER_AGENT": user_agent(options["contact"]),
        "ROBOTSTXT_OBEY": bool(options["obey_robots"]),
        "CONCURRENT_REQUESTS": int(options["concurrency"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(options["per_site"]),
        "DOWNLOAD_DELAY": float(options["download_delay"]),
        "AUTOTHROTTLE_ENABLED": bool(options["autothrottle"]),
        "AUTOTHROTTLE_START_DELAY": float(options["download_delay"]),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(options["per_site"]),
        "DOWNLOAD_TIMEOUT": float(options["timeout"]),
        "RETRY_TIMES": int(options["retries"]),
        # 429 is handled by crawler.retry_after (it waits as the site asks); the other codes as Scrapy does.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "NIANBAO_RETRY_AFTER_MAX": float(options["retry_after_max"]),
        "DOWNLOAD_MAXSIZE": int(options["max_bytes"]),
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOWED_CODES": [304, 412],
        "COOKIES_ENABLED": False,
        # Scrapy starts CONCURRENT_ITEMS asyncio workers for every response's output; at the default 100 that
        # task churn costs more than the page itself. Items queue for the one ingest thread anyway.
        "CONCURRENT_ITEMS": 4,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TWISTED_DNS_RESOLVER": "crawler.middlewares.GuardedResolver",
        # Only http and https are ever fetched: a portal's file:/data:/ftp: link (or redirect) reads nothing.
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
        "DUPEFILTER_CLASS": "crawler.jobs.MemoryDupeFilter",
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.NetGuardMiddleware": 50,
            "crawler.middlewares.SiteSlotMiddleware": 60,
            "crawler.middlewares.ConditionalGetMiddleware": 560,
            "crawler.retry_after.RetryAfterMiddleware": 555,
        },
        # The spider keeps its own depth; each spider middleware costs time per output.
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        "ITEM_PIPELINES": {"crawler.pipeline.StorePipeline": 300},
        "EXTENSIONS": {"crawler.jobs.ProgressExtension": 500},
        "NIANBAO_PARSE_WORKERS": default_parse_workers() if options.get("parse_workers") is None
        else int(options["parse_workers"]),
        "NIANBAO_PARSE_TIMEOUT": float(options["parse_timeout"]),
        "NIANBAO_PARSE_MEMORY_MB": int(options["parse_memory_mb"]),
        "NIANBAO_ALLOW_PRIVATE_NETWORKS": bool(options["allow_private_networks"]),
        "NIANBAO_ALLOWED_PRIVATE_HOSTS": list(options["allowed_private_hosts"]),
    }
    if options.get("redis_url"):
        from crawler.shared import scrapy_settings as shared_settings

        settings.update(shared_settings(str(options["redis_url"])))
    elif jobdir is not None and options.get("persist_queue"):
        settings["JOBDIR"] = str(jobdir)
    return settings
