"""One check run over the store: read reports (via db/), run every rule, write findings (via db/)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from checks.agencies import agency_key
from checks.model import RULES, Finding
from checks.runner import check_batches
from checks.subject import CheckSettings, ReportRecord
from checks.watchlist import WatchedAgency, read_watch_list
from db import findings as finding_rows
from db import runs, views
from db.report_rows import StoredReport

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


def watch_list_of(settings_section: dict[str, Any], config_path: Path | None,
                  override: Path | None = None) -> list[WatchedAgency]:
    """The watch list given on the command line, else [checks] watch (relative to nianbao.toml)."""
    path = override
    if path is None and settings_section.get("watch"):
        path = Path(settings_section["watch"])
        if not path.is_absolute() and config_path is not None:
            path = config_path.parent / path
    return read_watch_list(path) if path else []


def run_checks(db: Database, settings: CheckSettings, *, as_of: date | None = None,
               watch: list[WatchedAgency] | None = None, now: str | None = None) -> CheckRun:
    """Check every stored report, then record findings: new ones added, open ones updated, gone ones resolved."""
    as_of = as_of or datetime.now(UTC).date()
    not_current: set[int] = set()
    identities: set[tuple[str | None, str | None, int | None]] = set()

    def records(batch: Iterable[tuple[StoredReport, bool]]) -> Iterator[ReportRecord]:
        for stored, is_current in batch:
            record = record_of(stored)
            if not is_current:
                not_current.add(stored.id)
            identities.add((record.county, record.agency_key, record.year))
            yield record

    # One county at a time (the reports come ordered by county): a national store does not fit in memory at once.
    loaded = finding_rows.reports_to_check(db)
    batches = (records(batch) for _, batch in groupby(loaded, key=lambda pair: pair[0].county_code))
    findings = list(check_batches(batches, settings=settings, as_of=as_of, watch=watch or [],
                                  crawled=runs.last_good_crawls(db), current=lambda r: r.report_id not in not_current))
    sync = finding_rows.sync_findings(db, findings, now=now or runs.utc_now(), rules=RULES)
    views.refresh_coverage_summary(db)
    logger.info("checked %d reports: %d findings (%s)", len(identities), len(findings), sync.as_dict())
    return CheckRun(findings, sync, len(identities))
