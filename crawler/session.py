"""What the parts of one crawl share: the store gateway and the per-site tallies, reachable from the crawler.

The crawl process creates the session and attaches it to its Crawler before the crawl starts; the spider, the
item pipeline, the downloader middleware and the extensions find it in `from_crawler` (Scrapy's way of handing
a component what it needs), instead of reading attributes off the spider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler

from crawler.gateway import StoreGateway
from crawler.sites import Site
from crawler.tally import SiteTally

_SESSIONS: WeakKeyDictionary[Crawler, CrawlSession] = WeakKeyDictionary()


@dataclass
class CrawlSession:
    """The sites of one crawl, the gateway to the store (None: a crawl that stores nothing) and what each site
    showed so far."""

    sites: dict[str, Site]
    gateway: StoreGateway | None = None
    tallies: dict[str, SiteTally] = field(default_factory=dict)

    @classmethod
    def for_sites(cls, sites: list[Site], gateway: StoreGateway | None = None) -> CrawlSession:
        """A session with an empty tally for each site."""
        return cls({site.code: site for site in sites}, gateway, {s.code: SiteTally(s.code, s.name) for s in sites})

    def attach(self, crawler: Crawler) -> None:
        """Make this the session of `crawler` (before it starts: its components look it up as they are built)."""
        _SESSIONS[crawler] = self

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlSession:
        """The session attached to `crawler`; an error naming the omission when none is."""
        try:
            return _SESSIONS[crawler]
        except KeyError:
            raise RuntimeError("no CrawlSession attached to this crawler: call session.attach(crawler) "
                               "before crawler.crawl()") from None
