"""Item pipeline: hand each document to the store on one bounded ingest thread, so parsing never stalls downloads."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.python.threadpool import ThreadPool

from crawler.parsing import ParsePool
from parsers.errors import ParseAborted
from parsers.workers import WorkerLimits

logger = logging.getLogger(__name__)


class StorePipeline:
    """Runs StoreGateway.write off the reactor thread and counts new/changed/unchanged per site."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # One thread: SQLite has one writer, and the thread owns its Store connection.
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="nianbao-ingest")
        workers = crawler.settings.getint("NIANBAO_PARSE_WORKERS")
        limits = WorkerLimits(seconds=crawler.settings.getfloat("NIANBAO_PARSE_TIMEOUT", 120.0),
                              memory_bytes=crawler.settings.getint("NIANBAO_PARSE_MEMORY_MB", 2048) * 1024 * 1024)
        self.parsers = ParsePool(workers, limits) if workers > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def _run(self, function: Any, *args: Any) -> Any:
        from twisted.internet import reactor  # the one Scrapy installed (imported late on purpose)

        return maybe_deferred_to_future(threads.deferToThreadPool(reactor, self.pool, function, *args))

    async def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        self.pool.start()
        sites = [(s.code, s.name, s.url) for s in spider.sites.values()]
        await self._run(spider.gateway.upsert_counties, sites)

    async def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        await self._run(spider.gateway.close_writer)
        self.pool.stop()
        if self.parsers is not None:
            self.parsers.close()
        spider.gateway.close()

    async def process_item(self, item: dict[str, Any], spider: Spider | None = None) -> dict[str, Any]:
        spider = spider or self.crawler.spider
        tally = spider.tallies[item["site"]]
        try:
            parsed = None
            if item["type"] == "document" and self.parsers is not None and \
                    spider.gateway.needs_parsing(item["url"], item["data"]):
                source = item.get("final_url") or item["url"]
                parsed = await self.parsers.parse(item["data"], source, item.get("content_type"))
            outcome = await self._run(spider.gateway.write, item, parsed)
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the crawl
            logger.exception("%s: could not store", item["url"])
            tally.errors += 1
            tally.note(f"{item['url']} 存储失败 {error}")
            return {"url": item["url"], "outcome": "error"}
        status = outcome.status if outcome is not None else item["type"]
        if status == "new":
            tally.new += 1
        elif status == "changed":
            tally.changed += 1
        elif status in ("unchanged", "touch"):
            tally.unchanged += 1
        elif status == "degraded":  # stored, not current: the checks raise report_degraded
            tally.unchanged += 1
            tally.note(f"{item['url']} 新版本不完整，未采用")
        elif status == "failed":
            tally.errors += 1
            tally.note(outcome.error or item["url"])
            if f"{ParseAborted.reason}: " in (outcome.error or "") and self.crawler.stats is not None:
                self.crawler.stats.inc_value("nianbao/parse_aborted")
        return {"url": item["url"], "outcome": status}
