"""429/503 answers with Retry-After: wait as the site asks (up to a bound), instead of retrying at once.

Scrapy's RetryMiddleware retries 429 immediately, so a county server that said "come back in 120 s" got three
requests in 2.5 s and the site was marked failed. Here the request waits Retry-After seconds (at most
`[crawl] retry_after_max`) and is sent again, `retries` times at most; a longer wait gives up with a message.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)

# Without a Retry-After header, a 429 waits this long before its retry.
DEFAULT_WAIT = 10.0


class RetryAfterTooLong(Exception):
    """The site asked to wait longer than [crawl] retry_after_max."""


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Before Scrapy's RetryMiddleware: 429 (and 503 with Retry-After) wait, then go again."""

    def __init__(self, max_wait: float, retries: int) -> None:
        self.max_wait = max_wait
        self.retries = retries

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler.settings.getfloat("NIANBAO_RETRY_AFTER_MAX"), crawler.settings.getint("RETRY_TIMES"))

    async def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Any:
        if response.status not in (429, 503):
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if response.status == 503 and asked is None:
            return response  # an ordinary 503: RetryMiddleware's business
        wait = DEFAULT_WAIT if asked is None else asked
        done = int(request.meta.get("retry_after_times", 0))
        if wait > self.max_wait:
            raise RetryAfterTooLong(f"网站要求 {wait:.0f} 秒后再试（HTTP {response.status}，Retry-After），"
                                    f"超过上限 {self.max_wait:.0f} 秒")
        if done >= self.retries:
            return response
        logger.info("%s: HTTP %d, waiting %.0f s as Retry-After asks", request.url, response.status, wait)
        await asyncio.sleep(wait)
        retry = request.replace(dont_filter=True, meta={**request.meta, "retry_after_times": done + 1})
        retry.meta["dont_retry"] = True  # RetryMiddleware must not also send it again at once
        return retry
