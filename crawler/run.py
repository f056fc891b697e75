"""crawl(): run one crawl in its own process (so a scheduler can start one again and again) and summarize it."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.lock import crawl_lock, crawl_temp_dir
from crawler.settings import crawl_options
from crawler.shared import check_reachable
from crawler.sites import read_sites
from db.crawl_runs import SiteRun
from nianbao.config import Config
from nianbao.errors import NianbaoError

logger = logging.getLogger(__name__)
JOBDIR_NAME = "crawl-job"


class CrawlFailed(NianbaoError):
    """The crawl process ended without finishing (killed, crashed)."""


@dataclass
class CrawlSummary:
    """What one crawl found, per site (crawl_runs rows) and in total."""

    runs: list[SiteRun]
    names: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "finished"
    resumed: bool = False
    partial: bool = False  # a process of a shared (Redis) crawl that finished before the others: its own counts
    parse_aborted: int = 0  # documents recorded failed because parsing them killed a worker or ran over a limit

    def total(self, name: str) -> int:
        """Sum of one counter (pages, reports_found, new, changed, unchanged, errors, blocked) over sites."""
        return sum(int(getattr(run, name)) for run in self.runs)

    @property
    def problem_sites(self) -> list[SiteRun]:
        """Sites that failed, were blocked or found nothing."""
        return [run for run in self.runs if run.status != "ok"]

    def too_many_failed(self, max_failed_share: float) -> str | None:
        """Why the crawl as a whole failed: every site, or more than max_failed_share of them, failed or was
        blocked (a site that answered but has no report is not a failure). None when it did not, or when this
        process only saw its own share of a crawl shared with others."""
        failed = [run for run in self.runs if run.status in ("failed", "blocked")]
        every = bool(failed) and len(failed) == len(self.runs)
        if self.partial or not (every or len(failed) > max_failed_share * len(self.runs)):
            return None
        which = ("全部站点" if every else f"超过 [crawl] max_failed_share = {max_failed_share:g} 的比例")
        codes = "、".join(f"{run.county_code} {self.names.get(run.county_code, '')}".rstrip() for run in failed[:5])
        more = " 等" if len(failed) > 5 else ""
        return f"{len(failed)}/{len(self.runs)} 个站点无法访问或被拦截（{which}）：{codes}{more}；已找到的内容均已保存"


Progress = Callable[[dict[str, Any]], None]


def crawl(sites_path: Path, db_path: Path, data_dir: Path, config: Config | None = None,
          allow_private_networks: bool = False, *, progress: Progress | None = None,
          overrides: dict[str, Any] | None = None, on_start: Callable[[int], None] | None = None,
          log_level: str = "WARNING") -> CrawlSummary:
    """Crawl every site in the sites file into the store at db_path, in a separate process."""
    read_sites(sites_path)  # a bad sites file is reported here, before any process starts
    options = crawl_options((config or Config()).section("crawl"))
    options.update(overrides or {})
    options["allow_private_networks"] = bool(allow_private_networks or options["allow_private_networks"])
    if options.get("redis_url"):
        check_reachable(str(options["redis_url"]))  # before any process starts, naming the URL
    data_dir.mkdir(parents=True, exist_ok=True)
    # Processes sharing a Redis frontier share one store by design; otherwise one crawl per store.
    lock = contextlib.nullcontext() if options.get("redis_url") else crawl_lock(db_path)
    with lock, _removed_after(crawl_temp_dir()) as temp_dir:
        args = {"sites": str(sites_path), "db": str(db_path), "data_dir": str(data_dir), "parent": os.getpid(),
                "jobdir": str(data_dir / JOBDIR_NAME), "options": options, "log_level": log_level,
                "progress": str(temp_dir / "progress.json"), "result": str(temp_dir / "result.json")}
        (temp_dir / "args.json").write_text(json.dumps(args, ensure_ascii=False), encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "crawler.worker", str(temp_dir / "args.json")],
                                   env=_without_secrets(os.environ, config))
        if on_start is not None:
            on_start(process.pid)
        while process.poll() is None:
            _report(temp_dir / "progress.json", progress)
            time.sleep(0.5)
        _report(temp_dir / "progress.json", progress)
        result_path = temp_dir / "result.json"
        if process.returncode != 0 or not result_path.exists():
            raise CrawlFailed(f"{sites_path}：爬取进程未完成即退出（退出码 {process.returncode}）；"
                              "再次运行爬取即可从中断处继续")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    return CrawlSummary(runs=[SiteRun(**run) for run in result["runs"]], names=result["names"],
                        finish_reason=result["finish_reason"], resumed=result["resumed"],
                        partial=result.get("partial", False), parse_aborted=result.get("parse_aborted", 0))


def _without_secrets(environment: Mapping[str, str], config: Config | None) -> dict[str, str]:
    """The crawl process's environment without the SMTP password (it sends no email)."""
    secret = str((config or Config()).section("smtp").get("password_env") or "")
    return {name: value for name, value in environment.items() if name != secret}


@contextlib.contextmanager
def _removed_after(folder: Path) -> Iterator[Path]:
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _report(path: Path, progress: Progress | None) -> None:
    if progress is None or not path.exists():
        return
    with contextlib.suppress(OSError, ValueError):  # written while we read it; the next tick will do
        progress(json.loads(path.read_text(encoding="utf-8")))
