"""SQL for job_runs (every scheduler job run) and for reading crawl_runs (crawl health, grace crawls)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlite_utils import Database

from db.timestamps import utc_now
from db.transactions import inserted_id


def start_job(db: Database, job: str, started_at: str | None = None) -> int:
    """Record that a job started; returns the job_runs id to finish it with."""
    with db.conn:
        cursor = db.execute("INSERT INTO job_runs (job, started_at) VALUES (?, ?)", [job, started_at or utc_now()])
    return inserted_id(cursor)


def finish_job(db: Database, run_id: int, outcome: str, counts: dict[str, Any] | None = None,
               error: str | None = None, finished_at: str | None = None) -> None:
    """Record how a job ended: ok / error / misfire, its counts and the error message."""
    with db.conn:
        db.execute(
            "UPDATE job_runs SET finished_at = ?, outcome = ?, counts = ?, error = ? WHERE id = ?",
            [finished_at or utc_now(), outcome, json.dumps(counts or {}, ensure_ascii=False), error, run_id])


def record_misfire(db: Database, job: str, scheduled_for: str, error: str) -> int:
    """A job that did not run at its time (the scheduler was down or busy past the grace time)."""
    with db.conn:
        cursor = db.execute(
            "INSERT INTO job_runs (job, started_at, finished_at, outcome, counts, error) VALUES (?, ?, ?, ?, ?, ?)",
            [job, scheduled_for, utc_now(), "misfire", "{}", error])
    return inserted_id(cursor)


def job_runs(db: Database, job: str | None = None) -> list[dict[str, Any]]:
    """job_runs rows, oldest first (all jobs, or one)."""
    sql = "SELECT id, job, started_at, finished_at, outcome, counts, error FROM job_runs"
    cursor = db.execute(sql + (" WHERE job = ? ORDER BY id" if job else " ORDER BY id"), [job] if job else [])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def crawl_history(db: Database, per_county: int = 20) -> dict[str, list[dict[str, Any]]]:
    """The latest crawl_runs of each county, newest first."""
    cursor = db.execute(
        """SELECT id, county_code, started_at, finished_at, status, reports_found, message FROM (
               SELECT *, ROW_NUMBER() OVER (PARTITION BY county_code ORDER BY id DESC) AS n FROM crawl_runs)
           WHERE n <= ? ORDER BY county_code, id DESC""", [per_county])
    names = [c[0] for c in cursor.description]
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in cursor:
        record = dict(zip(names, row, strict=True))
        history[record["county_code"]].append(record)
    return dict(history)


def last_good_crawls(db: Database) -> dict[str, date | None]:
    """county → the day of its last successful crawl (None if every crawl failed); crawled counties only."""
    rows = db.execute(
        """SELECT county_code, MAX(CASE WHEN status = 'ok' THEN COALESCE(finished_at, started_at) END)
           FROM crawl_runs GROUP BY county_code""").fetchall()
    return {county: date.fromisoformat(last[:10]) if last else None for county, last in rows if county}
