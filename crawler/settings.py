"""Scrapy settings for a nianbao crawl, from the [crawl] section of nianbao.toml (with defaults)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nianbao import __version__

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
}


def crawl_options(section: dict[str, Any]) -> dict[str, Any]:
    """The [crawl] section over the defaults."""
    return {**DEFAULTS, **section}


def user_agent(contact: str) -> str:
    """A User-Agent naming nianbao and whom to contact."""
    return f"nianbao/{__version__} (+{contact or 'contact not configured'}; 政府信息公开年报监测)"


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
        "DOWNLOAD_MAXSIZE": int(options["max_bytes"]),
        "DOWNLOAD_WARNSIZE": 0,
        "HTTPERROR_ALLOWED_CODES": [304, 412],
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "DUPEFILTER_CLASS": "crawler.jobs.MemoryDupeFilter",
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.NetGuardMiddleware": 50,
            "crawler.middlewares.SiteSlotMiddleware": 60,
            "crawler.middlewares.ConditionalGetMiddleware": 560,
        },
        "ITEM_PIPELINES": {"crawler.pipeline.StorePipeline": 300},
        "EXTENSIONS": {"crawler.jobs.ProgressExtension": 500},
        "NIANBAO_ALLOW_PRIVATE_NETWORKS": bool(options["allow_private_networks"]),
        "NIANBAO_ALLOWED_PRIVATE_HOSTS": list(options["allowed_private_hosts"]),
    }
    if jobdir is not None:
        settings["JOBDIR"] = str(jobdir)
    return settings
