"""Item pipeline: hand each document to the store on one bounded ingest thread, so parsing never stalls downloads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.python.threadpool import ThreadPool

from crawler.gateway import StoreGateway
from crawler.items import CrawlItem, FetchedDocument, NotModified, Stored
from crawler.parsing import ParsePool, item_hints
from crawler.session import CrawlSession
from crawler.sites import Site
from crawler.tally import SiteTally
from db.store import IngestOutcome
from parsers.errors import ParseAborted
from parsers.workers import WorkerLimits

logger = logging.getLogger(__name__)


class StorePipeline:
    """Runs StoreGateway.write off the reactor thread and counts new/changed/unchanged per site."""

    def __init__(self, gateway: StoreGateway, sites: dict[str, Site], tallies: dict[str, SiteTally],
                 parsers: ParsePool | None = None, stats: StatsCollector | None = None) -> None:
        self.gateway = gateway
        self.sites = sites
        self.tallies = tallies
        # One thread: SQLite has one writer, and the thread owns its Store connection.
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="nianbao-ingest")
        self.parsers = parsers
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        session = CrawlSession.of(crawler)
        if session.gateway is None:
            raise NotConfigured("no store gateway: this crawl stores nothing")
        settings = crawler.settings
        workers = settings.getint("NIANBAO_PARSE_WORKERS")
        limits = WorkerLimits(seconds=settings.getfloat("NIANBAO_PARSE_TIMEOUT", 120.0),
                              memory_bytes=settings.getint("NIANBAO_PARSE_MEMORY_MB", 2048) * 1024 * 1024)
        parsers = ParsePool(workers, limits) if workers > 0 else None
        return cls(session.gateway, session.sites, session.tallies, parsers, crawler.stats)

    def _run(self, function: Callable[..., Any], *args: Any) -> Any:
        from twisted.internet import reactor  # the one Scrapy installed (imported late on purpose)

        return maybe_deferred_to_future(threads.deferToThreadPool(reactor, self.pool, function, *args))

    async def open_spider(self, spider: Spider | None = None) -> None:
        self.pool.start()
        sites = [(s.code, s.name, s.url) for s in self.sites.values()]
        await self._run(self.gateway.upsert_counties, sites)

    async def close_spider(self, spider: Spider | None = None) -> None:
        await self._run(self.gateway.close_writer)
        self.pool.stop()
        if self.parsers is not None:
            self.parsers.close()
        self.gateway.close()

    async def process_item(self, item: CrawlItem, spider: Spider | None = None) -> Stored:
        tally = self.tallies[item.site]
        site = self.sites.get(item.site)
        county = site.name if site is not None else None
        try:
            parsed = None
            if isinstance(item, FetchedDocument) and self.parsers is not None and \
                    self.gateway.needs_parsing(item.url, item.data):
                parsed = await self.parsers.parse(item.data, item.final_url or item.url, item.content_type,
                                                  item_hints(item, county))
            outcome: IngestOutcome | None = await self._run(self.gateway.write, item, parsed, county)
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the crawl
            logger.exception("%s：无法保存", item.url)
            tally.errors += 1
            tally.note(f"{item.url} 存储失败 {error}")
            return Stored(item.url, "error")
        if isinstance(item, NotModified):
            tally.unchanged += 1
            return Stored(item.url, "touch")
        if outcome is None:  # a failure, recorded as the spider counted it
            return Stored(item.url, "failure")
        if outcome.status == "new":
            tally.new += 1
        elif outcome.status == "changed":
            tally.changed += 1
        elif outcome.status == "unchanged":
            tally.unchanged += 1
        elif outcome.status == "degraded":  # stored, not current: the checks raise report_degraded
            tally.unchanged += 1
            tally.note(f"{item.url} 新版本不完整，未采用")
        elif outcome.status == "failed":
            tally.errors += 1
            tally.note(outcome.error or item.url)
            if f"{ParseAborted.reason}: " in (outcome.error or "") and self.stats is not None:
                self.stats.inc_value("nianbao/parse_aborted")
        return Stored(item.url, outcome.status)
