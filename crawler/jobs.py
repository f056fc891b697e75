"""Crawl jobs: a resumable JOBDIR, a duplicate filter that never forgets a killed run's lost requests, progress."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from crawler.session import CrawlSession
from crawler.tally import SiteTally

logger = logging.getLogger(__name__)
JOURNAL = "stored.txt"
CLEAN_MARK = "requests.queue/active.json"


class MemoryDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter without requests.seen on disk.

    After a kill -9, the requests in flight were marked seen but never processed; a persisted filter would
    drop them for good. Discovery therefore starts again from the home pages on resume, and the journal of
    stored documents (not the seen-set) keeps documents from being downloaded twice.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryDupeFilter:
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)


def prepare_jobdir(jobdir: Path) -> bool:
    """Make the job directory ready; True when it resumes an interrupted crawl.

    A queue left by a graceful stop is resumed as Scrapy left it; one left by a killed process may be
    half-written, so it is dropped (the journal and a fresh discovery cover what it held).
    """
    resuming = jobdir.exists() and any(jobdir.iterdir())
    queue = jobdir / "requests.queue"
    if queue.exists() and not (jobdir / CLEAN_MARK).exists():
        logger.warning("%s：上次爬取被强行终止，丢弃其待爬队列，重新开始发现", queue)
        shutil.rmtree(queue)
    jobdir.mkdir(parents=True, exist_ok=True)
    return resuming


def finish_jobdir(jobdir: Path, reason: str) -> None:
    """A crawl that finished leaves nothing to resume: remove its job directory."""
    if reason == "finished" and jobdir.exists():
        shutil.rmtree(jobdir)


class ProgressExtension:
    """Writes the crawl's running totals to a JSON file every second, for the parent's progress display."""

    def __init__(self, crawler: Crawler, tallies: dict[str, SiteTally]) -> None:
        self.crawler = crawler
        self.tallies = tallies
        self.path = crawler.settings.get("NIANBAO_PROGRESS_FILE")
        self.loop: Any = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        return cls(crawler, CrawlSession.of(crawler).tallies)

    def opened(self) -> None:
        if not self.path:
            return
        from twisted.internet import task

        self.loop = task.LoopingCall(self.write)
        self.loop.start(1.0, now=True)

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.path:
            self.write()

    def write(self) -> None:
        """Totals over all sites: sites reached, pages, reports found, errors, blocked."""
        tallies = self.tallies
        progress = {
            "sites": len(tallies),
            "sites_reached": sum(1 for t in tallies.values() if t.pages),
            "pages": sum(t.pages for t in tallies.values()),
            "reports": sum(len(t.reports) for t in tallies.values()),
            "errors": sum(t.errors for t in tallies.values()),
            "blocked": sum(t.blocked for t in tallies.values()),
            **self.engine_state(),
        }
        temp = Path(self.path + ".tmp")
        temp.write_text(json.dumps(progress), encoding="utf-8")
        temp.replace(self.path)

    def engine_state(self) -> dict[str, int]:
        """Where requests wait right now (for bench/crawl.py): downloading, queued behind a site's limit, in the
        scheduler, and the bytes of responses the callbacks and item pipeline still hold."""
        engine = getattr(self.crawler, "engine", None)
        if engine is None or engine.downloader is None:
            return {}
        slots = engine.downloader.slots.values()
        scraper = engine.scraper.slot
        scheduler = engine.scheduler
        return {"downloading": sum(len(slot.transferring) for slot in slots),
                "slot_queued": sum(len(slot.queue) for slot in slots),
                "busy_sites": sum(1 for slot in slots if slot.active),
                "scheduled": len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else -1,
                "scraper_bytes": scraper.active_size if scraper is not None else 0,
                "scraper_items": scraper.itemproc_size if scraper is not None else 0}
