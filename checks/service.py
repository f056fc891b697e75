"""One check run over the store: read reports (via db/), run every rule, write findings (via db/)."""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from checks.agencies import agency_key
from checks.model import RULES, Finding
from checks.runner import BatchResult, check_batch, finish
from checks.subject import CheckSettings, ReportRecord
from checks.watchlist import ListedAgency, WatchedAgency, read_watch_list
from db import findings as finding_rows
from db import retirements, runs, views
from db.directory import listed_agencies
from db.readonly import database_file, read_only
from db.report_rows import StoredReport
from db.timestamps import utc_now, utc_today
from nianbao.errors import NianbaoError
from parsers.workers import die_with_parent

logger = logging.getLogger(__name__)


@dataclass
class CheckRun:
    """The findings of one run and what changed in the store."""

    findings: list[Finding] = field(default_factory=list)
    sync: finding_rows.SyncCounts = field(default_factory=finding_rows.SyncCounts)
    reports: int = 0

    def by_rule(self) -> dict[str, Counter[str]]:
        """rule → Counter of severities, in the order of checks.md."""
        table: dict[str, Counter[str]] = {}
        for finding in self.findings:
            table.setdefault(finding.rule, Counter())[finding.severity] += 1
        return {rule: table[rule] for rule in RULES if rule in table}

    def counts(self) -> dict[str, Any]:
        return {"reports": self.reports, "findings": len(self.findings), **self.sync.as_dict()}


def record_of(stored: StoredReport) -> ReportRecord:
    """The checks' view of a stored report."""
    return ReportRecord(
        report=stored.report, county=stored.county_code, agency=stored.agency, year=stored.year,
        kind=stored.kind or stored.report.kind, url=stored.source_url, report_id=stored.id,
        document=str(stored.document_id if stored.document_id is not None else stored.source_url),
        title=stored.title, published_on=stored.published_on, page_date=stored.page_date,
        first_seen=stored.first_seen, agency_key=agency_key(stored.agency),
    )


def watch_list_of(settings_section: Mapping[str, Any], config_path: Path | None,
                  override: Path | None = None) -> list[WatchedAgency]:
    """The watch list given on the command line, else [checks] watch (relative to nianbao.toml)."""
    path = override
    if path is None and settings_section.get("watch"):
        path = Path(settings_section["watch"])
        if not path.is_absolute() and config_path is not None:
            path = config_path.parent / path
    return read_watch_list(path) if path else []


def retired_agencies(db: Database) -> dict[tuple[str, str], int]:
    """(county, agency key) → the first year it owes no report, from `nianbao agencies retire` (earliest wins)."""
    retired: dict[tuple[str, str], int] = {}
    for row in retirements.retirements(db):
        identity = (row["county_code"], agency_key(row["agency"]))
        retired[identity] = min(row["since_year"], retired.get(identity, row["since_year"]))
    return retired


# Below this many reports, starting worker processes costs more than it saves.
PARALLEL_MIN_REPORTS = 2_000
CHUNKS_PER_WORKER = 16


def default_workers(reports: int) -> int:
    """One process for a small store; otherwise one per core."""
    return 1 if reports < PARALLEL_MIN_REPORTS else max(1, os.cpu_count() or 1)


def run_checks(db: Database, settings: CheckSettings, *, as_of: date | None = None,
               watch: list[WatchedAgency] | None = None, now: str | None = None,
               workers: int | None = None) -> CheckRun:
    """Check every stored report, then record findings: new ones added, open ones updated, gone ones resolved
    (dated `now`, else the as_of day when given, else the current time).

    The reports are checked a county at a time, by `workers` processes (default: one per core for a large store)
    that each read a share of the counties; the findings are the same, in the same order, as with one."""
    if now is None and as_of is not None:
        now = f"{as_of.isoformat()}T00:00:00Z"  # checked as of a day: what is found is dated that day
    as_of = as_of or utc_today()
    counties = finding_rows.county_report_counts(db)
    path = database_file(db)
    workers = workers if workers is not None else default_workers(sum(counties.values()))
    if workers > 1 and path is not None and len(counties) > 1:
        done, reports = _check_in_processes(path, counties, settings, as_of, workers)
    else:
        done, reports = check_counties(db, None, settings, as_of)
    listed = [ListedAgency(*row) for row in listed_agencies(db)]
    findings = done.findings + list(finish(done, settings=settings, as_of=as_of, watch=watch or [],
                                           crawled=runs.last_good_crawls(db), listed=listed,
                                           retired=retired_agencies(db),
                                           open_missing_years=retirements.open_missing_years(db)))
    sync = finding_rows.sync_findings(db, findings, now=now or utc_now(), rules=RULES)
    views.refresh_coverage_summary(db)
    logger.info("checked %d reports: %d findings (%s)", reports, len(findings), sync.as_dict())
    return CheckRun(findings, sync, reports)


def check_counties(db: Database, counties: Sequence[str | None] | None, settings: CheckSettings,
                   as_of: date) -> tuple[BatchResult, int]:
    """The rules about each report of these counties (None: every county), one county at a time (the reports
    come ordered by county: a national store does not fit in memory at once); and how many reports they are."""
    not_current: set[int] = set()
    identities: set[tuple[str | None, str | None, int | None]] = set()

    def records(batch: Iterable[tuple[StoredReport, bool]]) -> Iterator[ReportRecord]:
        for stored, is_current in batch:
            record = record_of(stored)
            if not is_current:
                not_current.add(stored.id)
            identities.add((record.county, record.agency_key, record.year))
            yield record

    done = BatchResult()
    loaded = finding_rows.reports_to_check(db, counties)
    for _, batch in groupby(loaded, key=lambda pair: pair[0].county_code):
        done.extend(check_batch(records(batch), settings=settings, as_of=as_of,
                                current=lambda r: r.report_id not in not_current))
    return done, len(identities)


def _check_in_processes(path: Path, counties: dict[str | None, int], settings: CheckSettings, as_of: date,
                        workers: int) -> tuple[BatchResult, int]:
    """check_counties over shares of the counties in worker processes, gathered in county order.

    Plain processes with a pipe each, not a ProcessPoolExecutor: when a worker is killed (out of memory, kill -9)
    the executor could hang in its shutdown; here the dead worker's pipe ends and the check stops with an error."""
    shares = county_shares(counties, workers * CHUNKS_PER_WORKER)
    logger.info("checking %d reports of %d counties in %d processes", sum(counties.values()), len(counties), workers)
    context = get_context("fork") if start_method() == "fork" else get_context("spawn")
    started: list[tuple[BaseProcess, Connection]] = []
    expected: dict[Connection, int] = {}
    results: dict[int, tuple[BatchResult, int]] = {}
    try:
        for first in range(min(workers, len(shares))):
            mine = [(index, shares[index]) for index in range(first, len(shares), workers)]
            receiver, sender = context.Pipe(duplex=False)
            process: BaseProcess = context.Process(
                target=_check_shares, args=(sender, path, mine, settings, as_of, os.getpid()), daemon=True)
            process.start()
            sender.close()  # the worker's end: when the worker dies, recv() here ends instead of waiting
            started.append((process, receiver))
            expected[receiver] = len(mine)
        while expected:
            for ready in wait(list(expected)):
                assert isinstance(ready, Connection)
                try:
                    index, outcome = ready.recv()
                except EOFError:
                    process = next(process for process, receiver in started if receiver is ready)
                    process.join(5)
                    raise NianbaoError(
                        f"检查子进程异常退出（退出码 {process.exitcode}），未写入任何问题：请重新运行检查"
                        "（内存不足时加 --workers 1）") from None
                if isinstance(outcome, BaseException):
                    raise outcome
                results[index] = outcome
                expected[ready] -= 1
                if not expected[ready]:
                    del expected[ready]
    finally:
        for process, receiver in started:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
    done, reports = BatchResult(), 0
    for index in range(len(shares)):
        result, count = results.pop(index)
        done.extend(result)
        reports += count
    return done, reports


def _check_shares(sender: Connection, path: Path, shares: list[tuple[int, list[str | None]]],
                  settings: CheckSettings, as_of: date, parent: int) -> None:
    """A worker: check each share and send (its index, (result, reports)); an error is sent in place of a result."""
    die_with_parent(parent)  # a killed `nianbao check` leaves no worker holding the store open
    try:
        with read_only(path) as db:
            for index, counties in shares:
                try:
                    outcome: Any = check_counties(db, counties, settings, as_of)
                except Exception as error:  # sent to the parent, which raises it
                    sender.send((index, error))
                    return
                sender.send((index, outcome))
    finally:
        sender.close()


def start_method() -> Literal["fork", "spawn"]:
    """fork when this is the process's only thread: fork copies just the calling thread, so with others running
    (the scheduler's) a lock one of them holds could stay locked in the worker; then spawn (a fresh interpreter,
    which re-imports the caller's __main__: the nianbao command guards it)."""
    return "fork" if threading.active_count() == 1 else "spawn"


def county_shares(counties: dict[str | None, int], shares: int) -> list[list[str | None]]:
    """The counties (in order) cut into about `shares` runs of consecutive counties with similar report counts."""
    target = max(1, -(-sum(counties.values()) // max(1, shares)))
    result: list[list[str | None]] = [[]]
    size = 0
    for county, count in counties.items():
        if size >= target:
            result.append([])
            size = 0
        result[-1].append(county)
        size += count
    return [share for share in result if share]
