"""The crawl process: `python -m crawler.worker ARGS.json` runs one Scrapy crawl and writes its summary."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from checks.sites import site_findings
from crawler.gateway import StoreGateway
from crawler.jobs import JOURNAL, finish_jobdir, prepare_jobdir
from crawler.limits import bound_response_headers
from crawler.session import CrawlSession
from crawler.settings import scrapy_settings
from crawler.shared import SharedCrawl
from crawler.sites import read_sites
from crawler.spider import PortalSpider
from db.crawl_runs import drop_runs, finish_runs, start_runs
from db.processes import pid_alive
from db.store import Store
from db.timestamps import utc_now
from parsers.workers import die_with_parent

logger = logging.getLogger(__name__)


class _RobotsFailureOneLine(logging.Filter):
    """Scrapy logs a robots.txt that could not be fetched (a timeout, a refused connection) as an error with a
    60-line traceback; the crawl goes on as if allowed, so one warning line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.ERROR:
            error = record.exc_info[1]
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "robots.txt 无法读取，按允许抓取处理：%s", (error,)
        return True


def run(args: dict[str, Any]) -> dict[str, Any]:
    """Crawl every site of the sites file into the store; returns the summary written for the parent."""
    if args.get("parent"):
        die_with_parent(int(args["parent"]))  # a killed `nianbao crawl` takes its crawl process with it
    bound_response_headers()
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_RobotsFailureOneLine())
    sites = read_sites(args["sites"])
    db_path, data_dir, jobdir = Path(args["db"]), Path(args["data_dir"]), Path(args["jobdir"])
    options = args["options"]
    owner = process_owner()
    shared = SharedCrawl(options["redis_url"], owner) if options.get("redis_url") else None
    # With a shared frontier, Redis holds what a resume needs; the local journal is for one process alone.
    resumed = prepare_jobdir(jobdir) if shared is None else False
    gateway = StoreGateway(db_path, data_dir, journal=jobdir / JOURNAL if shared is None else None)
    session = CrawlSession.for_sites(sites, gateway)
    settings = scrapy_settings(options, jobdir)
    settings["NIANBAO_PROGRESS_FILE"] = args.get("progress")
    settings["LOG_LEVEL"] = args.get("log_level", "WARNING")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    session.attach(crawler)
    started = utc_now()
    if shared is not None:
        started = shared.join(started)
        shared.attach(crawler)
    Store.open(db_path, data_dir).close()  # creates or migrates the database before the first crawl_runs row
    start_runs(db_path, [site.code for site in sites], started, owner, owner_alive)
    process.crawl(crawler, max_depth=int(options["max_depth"]), max_pages_per_site=int(options["max_pages_per_site"]))
    process.start()
    reason = str(crawler.stats.get_value("finish_reason") or "unknown") if crawler.stats else "unknown"
    finished = utc_now()
    partial = False
    tallies = session.tallies
    if shared is None:
        finish_runs(db_path, [tally.to_run(started, finished) for tally in tallies.values()], owner, site_findings)
        finish_jobdir(jobdir, reason)
    else:
        merged = shared.leave(tallies)
        partial = merged is None
        if merged is None:  # others still crawl: the last of them records the merged counts
            drop_runs(db_path, owner)
        else:
            finish_runs(db_path, [tally.to_run(started, finished) for tally in merged.values()], owner,
                        site_findings)
            tallies = merged
    runs = [tally.to_run(started, finished) for tally in tallies.values()]
    return {"finish_reason": reason, "resumed": resumed, "started_at": started, "finished_at": finished,
            "names": {site.code: site.name for site in sites}, "runs": [asdict(run) for run in runs],
            "partial": partial,
            "parse_aborted": int(crawler.stats.get_value("nianbao/parse_aborted", 0)) if crawler.stats else 0}


def process_owner() -> str:
    """Who runs this crawl, as written in its 'running' crawl_runs rows: "pid 123 @ host"."""
    return f"pid {os.getpid()} @ {socket.gethostname()}"


def owner_alive(owner: str) -> bool:
    """Whether the crawl process named by process_owner() still runs (one on another machine is assumed to)."""
    pid, _, host = owner.removeprefix("pid ").partition(" @ ")
    if host != socket.gethostname():
        return True
    if not pid.isdigit() or not pid_alive(int(pid)):
        return False
    try:  # the pid may have been reused by another program since
        return b"crawler.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def main(argv: list[str]) -> int:
    """Entry point of the crawl process."""
    args = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    summary = run(args)
    Path(args["result"]).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
