"""Operational alerts: a county whose crawls keep failing (and its recovery), a scheduler job that failed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db import alerts as alert_rows
from db import runs
from db.timestamps import utc_stamp

FAILED = ("failed", "blocked", "empty")
UNFINISHED = ("running", "interrupted")
JOB_ALERT_WINDOW = timedelta(days=2)  # older job failures are history, not news


def _failure_streak(crawls: Sequence[Mapping[str, Any]]) -> int:
    """How many of the latest crawls (newest first) failed; an empty crawl counts only if reports were found before."""
    streak = 0
    for index, crawl in enumerate(crawls):
        status = crawl.get("status")
        found_before = any((older.get("reports_found") or 0) > 0 for older in crawls[index + 1:])
        if status in ("failed", "blocked") or (status == "empty" and found_before):
            streak += 1
        else:
            break
    return streak


def crawl_items(db: Database, threshold: int, county_names: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """A "failing" item after `threshold` failed crawls of a county in a row; "recovered" when it works again."""
    for county, history in runs.crawl_history(db).items():
        # A crawl still running, or killed before it ended, says nothing about the site.
        crawls = [crawl for crawl in history if crawl.get("status") not in UNFINISHED]
        if not crawls:
            continue
        key = f"crawl:{county}"
        state = alert_rows.last_state(db, key)
        latest = crawls[0]
        streak = _failure_streak(crawls)
        base = {"kind": "crawl", "county": county, "county_name": county_names.get(county), "subject_key": key,
                "last_run": latest.get("finished_at") or latest.get("started_at")}
        if streak >= threshold and state != "failing":
            yield {**base, "state": "failing", "failures": streak, "status": latest.get("status"),
                   "message": latest.get("message") or "", "severity": "error"}
        elif streak == 0 and latest.get("status") == "ok" and state == "failing":
            yield {**base, "state": "recovered", "status": "ok", "severity": "info"}


def job_items(db: Database, now: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every recent job run that errored or misfired and was not alerted yet."""
    since = utc_stamp((now or datetime.now(UTC)) - JOB_ALERT_WINDOW)
    done = alert_rows.subject_keys(db, "job:")
    for run in runs.job_runs(db):
        key = f"job:{run['id']}"
        if run["outcome"] in ("error", "misfire") and key not in done and (run["started_at"] or "") >= since:
            yield {"kind": "job", "subject_key": key, "job": run["job"], "outcome": run["outcome"],
                   "error": run["error"], "started_at": run["started_at"], "severity": "error", "state": "failed"}
