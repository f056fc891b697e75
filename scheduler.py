"""APScheduler jobs chaining crawl → ocr → check → alerts; each run recorded in job_runs. Thin: the work is in the
library.

The crawl fires on a season trigger (daily in the reporting season, weekly otherwise, Asia/Shanghai);
when it ends, the OCR stage reads the scans and picture reports the crawl stored as needs_ocr, then the check
job is started, and when that ends, the alerts job, so checks always see the crawl's results. A job that errors
or misfires is recorded and then alerted by the alerts job.
"""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from alerts.fixlist import JOB_NAMES
from alerts.wiring import CheckAlertWiring
from db import runs
from db.store import Store
from db.timestamps import utc_stamp
from nianbao.config import Config
from nianbao.config_values import (
    WEEKDAYS,
    Keys,
    clock_time,
    month_day_range,
    number,
    parse_month_day,
    parse_weekday,
    text,
    weekday,
)
from nianbao.errors import ConfigError, NianbaoError

logger = logging.getLogger(__name__)
TIMEZONE = "Asia/Shanghai"
JOBS = ("crawl", "ocr", "check", "alerts")
# [schedule] as nianbao.toml may set it.
SCHEDULE_KEYS: Keys = {
    "sites": text,
    "season": month_day_range,
    "off_season_day": weekday,
    "at": clock_time,
    "misfire_grace_hours": number(0),
    "crawl_every_seconds": number(0, above=True),
}


@dataclass(frozen=True)
class ScheduleSettings:
    """[schedule]: when the crawl fires, which sites file it reads, how late a run may still start."""

    sites: Path = Path("sites.csv")
    season: tuple[tuple[int, int], tuple[int, int]] = ((2, 1), (4, 30))  # 02-01..04-30: daily
    off_season_day: int = 0  # Monday: weekly outside the season
    at: time = time(6, 0)
    misfire_grace_hours: float = 6
    crawl_every_seconds: float | None = None  # a plain interval instead of the season (testing, small setups)

    @classmethod
    def from_config(cls, config: Config) -> ScheduleSettings:
        """Read [schedule] (the sites file also from [crawl] sites), paths relative to nianbao.toml."""
        section = config.section("schedule")
        sites = Path(section.get("sites") or config.section("crawl").get("sites") or "sites.csv")
        if not sites.is_absolute() and config.path is not None:
            sites = config.path.parent / sites
        try:
            start, end = (parse_month_day(part) for part in str(section.get("season", "02-01..04-30")).split(".."))
            hour, minute = (int(part) for part in str(section.get("at", "06:00")).split(":"))
            every = section.get("crawl_every_seconds")
            return cls(sites=sites, season=(start, end), at=time(hour, minute),
                       off_season_day=parse_weekday(str(section.get("off_season_day", "mon"))),
                       misfire_grace_hours=float(section.get("misfire_grace_hours", 6)),
                       crawl_every_seconds=float(every) if every else None)
        except ValueError as error:
            raise ConfigError(f"[schedule] 写法应如 season = \"02-01..04-30\", at = \"06:00\", "
                              f"off_season_day = \"mon\"（{error}）") from error


class SeasonTrigger(BaseTrigger):
    """Fires at a time of day: every day inside the season (month-day range), on one weekday outside it."""

    def __init__(self, settings: ScheduleSettings, timezone: tzinfo) -> None:
        self.settings = settings
        self.timezone = timezone

    def in_season(self, day: date) -> bool:
        """Whether a day is in the reporting season (the range may wrap over the new year)."""
        start, end = self.settings.season
        here = (day.month, day.day)
        return start <= here <= end if start <= end else here >= start or here <= end

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        """The first fire time after now (and after the previous one)."""
        after = max(now, previous_fire_time + timedelta(seconds=1)) if previous_fire_time else now
        after = after.astimezone(self.timezone)
        day = after.date()
        for _ in range(8 + 366):
            candidate = datetime.combine(day, self.settings.at, tzinfo=self.timezone)
            if candidate >= after and (self.in_season(day) or day.weekday() == self.settings.off_season_day):
                return candidate
            day += timedelta(days=1)
        return None

    def __str__(self) -> str:
        (sm, sd), (em, ed) = self.settings.season
        return (f"season[daily {sm:02d}-{sd:02d}..{em:02d}-{ed:02d}, else {WEEKDAYS[self.settings.off_season_day]}"
                f" at {self.settings.at:%H:%M}]")


@dataclass
class Pipeline:
    """What the jobs need: the configuration and where the store is."""

    config: Config
    db_path: Path
    data_dir: Path
    schedule: ScheduleSettings
    busy: threading.Lock = field(default_factory=threading.Lock, repr=False)  # held while a job runs

    def crawl(self) -> dict[str, Any]:
        """Crawl every site (crawler.run.crawl runs Scrapy in a child process)."""
        from crawler.run import crawl
        from crawler.settings import crawl_options

        summary = crawl(self.schedule.sites, self.db_path, self.data_dir, self.config)
        counts: dict[str, Any] = {"sites": len(summary.runs), "problem_sites": len(summary.problem_sites)}
        for name in ("pages", "reports_found", "new", "changed", "unchanged", "errors", "blocked"):
            counts[name] = summary.total(name)
        failure = summary.too_many_failed(float(crawl_options(self.config.section("crawl"))["max_failed_share"]))
        if failure:  # as `nianbao crawl` exits 5: recorded as an error and alerted as a failing job
            raise JobFailed(counts, failure)
        return counts

    def ocr(self) -> dict[str, Any]:
        """Read by OCR what the crawl left as needs_ocr (db/ocr_stage.py). Without the ocr extra: how many wait,
        and how to install it, in the job's result."""
        from db.ocr_stage import INSTALL_COMMAND, ocr_options, pending_count, run_ocr_stage
        from parsers.ocr import available

        with Store.open(self.db_path, self.data_dir) as store:
            if not available():
                waiting = pending_count(store)
                counts: dict[str, Any] = {"pending": waiting}
                if waiting:
                    counts["note"] = (f"{waiting} 份扫描件或图片版年报等待 OCR 识别：安装 OCR 扩展（{INSTALL_COMMAND}）"
                                      "后运行 nianbao ocr，或等下次定时任务")
                return counts
            return run_ocr_stage(store, ocr_options(self.config.section("ocr"))).as_counts()

    def check(self) -> dict[str, Any]:
        """Run every rule over the store and record the findings."""
        wiring = CheckAlertWiring.from_config(self.config)
        with Store.open(self.db_path, self.data_dir) as store:
            run = wiring.run_checks(store.db)
        return run.counts()

    def alerts(self) -> dict[str, Any]:
        """Email what is new; undelivered digests stay pending (and make this run an error)."""
        wiring = CheckAlertWiring.from_config(self.config)
        settings = wiring.alert_settings()
        with Store.open(self.db_path, self.data_dir) as store:
            result = wiring.send_alerts(store.db, settings)
        if result.failures:
            raise JobFailed(result.as_counts(), "；".join(f"{r}：{e}" for r, e in result.failures.items()))
        return result.as_counts()

    def record(self, job: str, work: Callable[[], dict[str, Any]]) -> str:
        """Run one job, recording start, end, outcome and counts in job_runs; never raises."""
        with self.busy:
            return self._record(job, work)

    def _record(self, job: str, work: Callable[[], dict[str, Any]]) -> str:
        with Store.open(self.db_path, self.data_dir) as store:
            run_id = runs.start_job(store.db, job)
        outcome, counts, error = "ok", {}, None
        try:
            counts = work()
        except JobFailed as failed:
            outcome, counts, error = "error", failed.counts, failed.message
        except Exception as exc:  # a failing job is recorded and alerted, the scheduler goes on
            logger.error("%s任务出错：%s", JOB_NAMES.get(job, job), exc)
            logger.debug("%s", traceback.format_exc())
            error = str(exc) if isinstance(exc, NianbaoError) else f"程序意外出错（{type(exc).__name__}）：{exc}"
            outcome = "error"
        with Store.open(self.db_path, self.data_dir) as store:
            runs.finish_job(store.db, run_id, outcome, counts, error)
        logger.info("job %s: %s %s", job, outcome, counts)
        return outcome

    def cycle(self) -> dict[str, str]:
        """crawl → ocr → check → alerts, each recorded; later steps run even when an earlier one failed."""
        return {job: self.record(job, getattr(self, job)) for job in JOBS}


class JobFailed(Exception):
    """A job that did part of its work: its counts are kept with the error."""

    def __init__(self, counts: dict[str, Any], message: str) -> None:
        super().__init__(message)
        self.counts = counts
        self.message = message


def pipeline_of(config: Config, db_path: Path | None = None) -> Pipeline:
    """The pipeline for a configuration (db_path overrides [paths] db); ConfigError if there is no sites file."""
    db, data_dir = config.store_paths(db_path)
    schedule = ScheduleSettings.from_config(config)
    if not schedule.sites.is_file():
        key = ("schedule", "sites") if config.section("schedule").get("sites") else ("crawl", "sites")
        raise ConfigError(f"{config.where(*key)}: 站点列表文件 {schedule.sites} 不存在（设置 [schedule] sites = "
                          "\"sites.csv\"，相对于 nianbao.toml 所在文件夹）")
    return Pipeline(config, db, data_dir, schedule)


def build_scheduler(pipeline: Pipeline) -> BlockingScheduler:
    """The scheduler with the crawl job; check and alerts are started by the job before them."""
    settings = pipeline.schedule
    zone = ZoneInfo(TIMEZONE)
    scheduler = BlockingScheduler(
        timezone=zone, executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": int(settings.misfire_grace_hours * 3600)})

    def chain(job: str) -> None:
        # A date trigger without a date fires now; the single worker thread runs it after the current job.
        scheduler.add_job(run_job, "date", args=[job], id=job, name=job, replace_existing=True)

    def run_job(job: str) -> None:
        pipeline.record(job, getattr(pipeline, job))
        following = JOBS.index(job) + 1
        if following < len(JOBS):
            chain(JOBS[following])

    def missed(event: JobExecutionEvent) -> None:
        scheduled = utc_stamp(event.scheduled_run_time)
        with Store.open(pipeline.db_path, pipeline.data_dir) as store:
            runs.record_misfire(store.db, event.job_id, scheduled,
                                f"未按计划于{scheduled}运行：调度程序当时未运行，或忙于前一项任务超过了宽限时间"
                                "（[schedule] misfire_grace_hours）")
        if event.job_id != "alerts":
            chain("alerts")

    trigger = (IntervalTrigger(seconds=settings.crawl_every_seconds, timezone=zone)
               if settings.crawl_every_seconds else SeasonTrigger(settings, zone))
    scheduler.add_job(run_job, trigger, args=["crawl"], id="crawl", name="crawl", replace_existing=True)
    scheduler.add_listener(missed, EVENT_JOB_MISSED)
    return scheduler


def run_forever(pipeline: Pipeline) -> None:
    """Run the scheduler in the foreground; SIGTERM or Ctrl-C stop it after the running job."""
    scheduler = build_scheduler(pipeline)

    def stop(signum: int, frame: object) -> None:
        # Only stop the main loop here: waiting in a signal handler could deadlock on the scheduler's
        # locks, which the main thread may hold when the signal arrives. The wait is below.
        if scheduler.running:  # a second signal while stopping changes nothing
            logger.warning("收到信号 %d：当前任务完成后停止", signum)
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("scheduler started: crawl %s", scheduler.get_job("crawl").trigger)
    scheduler.start()
    with pipeline.busy:  # the job that was running when the signal came finishes first
        logger.info("scheduler stopped")
