"""Several crawl processes (on one machine or many) sharing one frontier in Redis, through scrapy-redis.

Optional: only used when `[crawl] redis_url` / `nianbao crawl --redis URL` is set (pip install 'nianbao[redis]').
scrapy-redis keeps the request queue and the seen-set in Redis, so every page is fetched by exactly one process.
This module adds what a crawl needs on top: who takes part (members with a heartbeat), their per-site counts
merged into one crawl_runs row per site by the last process to finish, and a clean frontier for the next crawl.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from crawler.tally import SiteTally
from nianbao.errors import NianbaoError

logger = logging.getLogger(__name__)
PREFIX = "nianbao:crawl:"
QUEUE_KEY = PREFIX + "requests"
DUPEFILTER_KEY = PREFIX + "dupefilter"
MEMBERS_KEY = PREFIX + "members"
STATE_KEY = PREFIX + "state"  # member → busy / idle
STARTED_KEY = PREFIX + "started"
LOCK_KEY = PREFIX + "lock"
HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 30.0  # a member silent this long is gone (killed): its share is not waited for
_COUNTERS = ("pages", "ok_pages", "new", "changed", "unchanged", "errors", "blocked", "unsupported")


class SharedFrontierError(NianbaoError):
    """Redis is configured for the crawl but cannot be used."""


def scrapy_settings(redis_url: str) -> dict[str, Any]:
    """Scrapy settings replacing the in-memory scheduler and duplicate filter by scrapy-redis ones."""
    try:
        import scrapy_redis  # noqa: F401
    except ImportError as error:
        raise SharedFrontierError(f"[crawl] redis_url = {redis_url!r} 需要安装 scrapy-redis："
                                  "pip install 'nianbao[redis]'") from error
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        "SCHEDULER_PERSIST": True,  # a process that finishes first must not flush the others' frontier
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": redis_url,
    }


def check_reachable(redis_url: str) -> None:
    """Raise SharedFrontierError naming the URL unless scrapy-redis is installed and Redis answers."""
    scrapy_settings(redis_url)
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as error:
        raise SharedFrontierError(f"{redis_url}: 无法连接 Redis（{error}）") from error


class SharedCrawl:
    """One process's membership in a shared crawl: join, heartbeat, then leave with its counts."""

    def __init__(self, redis_url: str, member: str) -> None:
        import redis

        self.url = redis_url
        self.member = member
        self.redis = redis.Redis.from_url(redis_url)
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._busy = True
        try:
            self.redis.ping()
        except redis.RedisError as error:
            raise SharedFrontierError(f"{redis_url}: 无法连接 Redis（{error}）") from error

    def _now(self) -> float:
        seconds, micros = self.redis.time()  # one clock for every machine
        return seconds + micros / 1e6

    def _live_others(self) -> list[str]:
        now = self._now()
        return [_text(name) for name, beat in self.redis.hgetall(MEMBERS_KEY).items()
                if _text(name) != self.member and now - float(beat) < STALE_SECONDS]

    def join(self, started_at: str) -> str:
        """Take part; returns the shared crawl's start time (this one's if no other process is crawling)."""
        with self.redis.lock(LOCK_KEY, timeout=60):
            if not self._live_others():  # a new crawl: forget what an earlier (perhaps killed) one left
                self.redis.delete(QUEUE_KEY, DUPEFILTER_KEY, MEMBERS_KEY, STATE_KEY,
                                  *self.redis.scan_iter(PREFIX + "site:*"))
                self.redis.set(STARTED_KEY, started_at)
            self.redis.hset(MEMBERS_KEY, self.member, self._now())
            self.redis.hset(STATE_KEY, self.member, "busy")
            started = _text(self.redis.get(STARTED_KEY) or started_at)
        self._beat = threading.Thread(target=self._heartbeat, name="nianbao-redis-heartbeat", daemon=True)
        self._beat.start()
        return started

    def attach(self, crawler: Any) -> None:
        """Keep this process's spider open while another process still crawls (it may queue more requests)."""
        from scrapy import signals

        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._working, signal=signals.request_reached_downloader)

    def _working(self) -> None:
        if not self._busy:
            self._busy = True
            self.redis.hset(STATE_KEY, self.member, "busy")

    def _idle(self) -> None:
        """Scrapy found nothing to do: wait (DontCloseSpider) while the frontier may still grow."""
        from scrapy.exceptions import DontCloseSpider

        self._busy = False
        self.redis.hset(STATE_KEY, self.member, "idle")
        if self.redis.zcard(QUEUE_KEY):
            raise DontCloseSpider("requests are queued in Redis")
        states = self.redis.hgetall(STATE_KEY)
        if any(states.get(other.encode()) == b"busy" for other in self._live_others()):
            raise DontCloseSpider("another crawl process is still working")

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                self.redis.hset(MEMBERS_KEY, self.member, self._now())
            except Exception:  # noqa: BLE001 - a missed beat only makes others think we left
                logger.warning("%s：向 Redis 报告心跳失败", self.url, exc_info=True)

    def leave(self, tallies: dict[str, SiteTally]) -> dict[str, SiteTally] | None:
        """Add this process's counts; the last process to leave gets everyone's, merged, and clears the frontier."""
        self._stop.set()
        with self.redis.lock(LOCK_KEY, timeout=60):
            pipe = self.redis.pipeline()
            for code, tally in tallies.items():
                key = f"{PREFIX}site:{code}"
                for name in _COUNTERS:
                    pipe.hincrby(key, name, getattr(tally, name))
                if tally.reports:
                    pipe.sadd(key + ":reports", *tally.reports)
                if tally.messages:
                    pipe.rpush(key + ":messages", *tally.messages)
                for suffix, mapping in ((":departments", tally.departments), (":columns", tally.columns)):
                    if mapping:
                        for name, url in mapping.items():
                            pipe.hsetnx(key + suffix, name, url)
                if tally.subsites:
                    pipe.sadd(key + ":subsites", *tally.subsites)
            pipe.hdel(MEMBERS_KEY, self.member)
            pipe.hdel(STATE_KEY, self.member)
            pipe.execute()
            if self._live_others():
                return None
            merged = {code: self._merged(code, tally.name) for code, tally in tallies.items()}
            self.redis.delete(QUEUE_KEY, DUPEFILTER_KEY, MEMBERS_KEY, STATE_KEY, STARTED_KEY,
                              *self.redis.scan_iter(PREFIX + "site:*"))
            return merged

    def _merged(self, code: str, name: str) -> SiteTally:
        key = f"{PREFIX}site:{code}"
        counts = {_text(k): int(v) for k, v in self.redis.hgetall(key).items()}
        tally = SiteTally(code, name)
        for counter in _COUNTERS:
            setattr(tally, counter, counts.get(counter, 0))
        tally.reports = {_text(url) for url in self.redis.smembers(key + ":reports")}
        for message in self.redis.lrange(key + ":messages", 0, -1):
            tally.note(_text(message))
        tally.departments = {_text(k): _text(v) for k, v in self.redis.hgetall(key + ":departments").items()}
        tally.columns = {_text(k): _text(v) for k, v in self.redis.hgetall(key + ":columns").items()}
        tally.subsites = {_text(name) for name in self.redis.smembers(key + ":subsites")}
        return tally


def _text(value: bytes | str) -> str:
    """A Redis reply as text (replies are bytes unless the client decodes them)."""
    return value.decode() if isinstance(value, bytes) else value

