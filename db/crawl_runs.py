"""crawl_runs rows (one per site per crawl), written with the findings the site rules raise or resolve."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from db.directory import record_directory


@dataclass
class SiteRun:
    """What one crawl saw on one county's site."""

    county_code: str
    started_at: str
    finished_at: str
    status: str  # ok / failed / blocked / empty; running while the crawl goes on, interrupted if it never ended
    pages: int = 0
    reports_found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    blocked: int = 0
    message: str = ""
    departments_listed: int = 0  # departments the county's 部门信息公开 directory lists
    subsites_visited: int = 0  # of those, sub-sites read
    report_columns: int = 0  # of those, with a 年报 column (or a list of reports) found
    without_column: str = ""  # names of the listed departments with no 年报 column, 、-separated
    departments: dict[str, str] = field(default_factory=dict)  # name → sub-site URL (stored in agencies)


class SiteFinding(Protocol):
    """A finding about a county's site as it is written here (checks.model.Finding is one)."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def county(self) -> str | None: ...
    @property
    def keys(self) -> list[str]: ...
    @property
    def message(self) -> str: ...


# The site rules (checks.sites.site_findings): one crawl of a site and the most reports an earlier finished crawl
# found there → the findings it raises (or keeps open), and the fingerprints of the findings it resolves.
SiteJudge = Callable[[SiteRun, int | None], tuple[Sequence[SiteFinding], Sequence[str]]]


def _connect(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, timeout=30)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


RUNNING_PREFIX = "爬取中 running "


def _running_message(owner: str) -> str:
    return f"{RUNNING_PREFIX}({owner})"


def start_runs(db_path: Path, codes: Iterable[str], started_at: str, owner: str,
               alive: Callable[[str], bool]) -> int:
    """Mark 'running' rows whose owner is gone as interrupted, then insert a 'running' row per site for owner.

    owner names the crawl process ("pid 123 @ host"); alive(owner) says whether that process still runs.
    Returns how many stale rows were marked interrupted.
    """
    connection = _connect(db_path)
    try:
        with connection:
            stale = 0
            for row_id, message in connection.execute(
                    "SELECT id, message FROM crawl_runs WHERE status = 'running'").fetchall():
                other = (message or "").removeprefix(RUNNING_PREFIX).strip("()")
                if other == owner or not alive(other):
                    connection.execute(
                        "UPDATE crawl_runs SET status = 'interrupted', message = ? WHERE id = ?",
                        [f"爬取中断：爬取进程（{other}）未正常结束",
                         row_id])
                    stale += 1
            connection.executemany(
                "INSERT INTO crawl_runs (county_code, started_at, status, message) VALUES (?, ?, 'running', ?)",
                [(code, started_at, _running_message(owner)) for code in codes])
    finally:
        connection.close()
    return stale


def finish_runs(db_path: Path, runs: Iterable[SiteRun], owner: str, judge: SiteJudge | None = None) -> None:
    """Complete owner's 'running' rows with what the crawl saw (a row is inserted where none is running), and
    write the findings `judge` raises or resolves for each site."""
    _write_runs(db_path, list(runs), owner, judge)


def drop_runs(db_path: Path, owner: str) -> None:
    """Delete owner's 'running' rows (a process of a shared crawl whose counts another process records)."""
    connection = _connect(db_path)
    try:
        with connection:
            connection.execute("DELETE FROM crawl_runs WHERE status = 'running' AND message = ?",
                               [_running_message(owner)])
    finally:
        connection.close()


def record_runs(db_path: Path, runs: Iterable[SiteRun], judge: SiteJudge | None = None) -> None:
    """Insert one crawl_runs row per site, and write the findings `judge` raises or resolves for each."""
    _write_runs(db_path, list(runs), None, judge)


def _write_runs(db_path: Path, runs: list[SiteRun], owner: str | None, judge: SiteJudge | None) -> None:
    connection = _connect(db_path)
    try:
        with connection:
            previous = {run.county_code: _previous(connection, run.county_code) for run in runs} if judge else {}
            for run in runs:
                row = asdict(run)
                record_directory(connection, run.county_code, row.pop("departments"), run.finished_at)
                updated = 0
                if owner is not None:
                    assignments = ", ".join(f'"{c}" = ?' for c in row if c != "county_code")
                    updated = connection.execute(
                        f"UPDATE crawl_runs SET {assignments} WHERE id = (SELECT id FROM crawl_runs WHERE "
                        "county_code = ? AND status = 'running' AND message = ? ORDER BY id DESC LIMIT 1)",
                        [v for c, v in row.items() if c != "county_code"]
                        + [run.county_code, _running_message(owner)]).rowcount
                if not updated:
                    columns = ", ".join(f'"{c}"' for c in row)
                    connection.execute(
                        f"INSERT INTO crawl_runs ({columns}) VALUES ({', '.join('?' for _ in row)})",
                        list(row.values()))
                if judge is not None:
                    raised, resolved = judge(run, previous[run.county_code])
                    _write_findings(connection, raised, resolved, run.finished_at)
    finally:
        connection.close()


def _previous(connection: sqlite3.Connection, county_code: str) -> int | None:
    row = connection.execute(
        "SELECT MAX(reports_found) FROM crawl_runs WHERE county_code = ? AND status IN ('ok', 'empty')",
        [county_code],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _write_findings(connection: sqlite3.Connection, raised: Iterable[SiteFinding], resolved: Iterable[str],
                    at: str) -> None:
    for finding in raised:
        connection.execute(
            """INSERT INTO findings (fingerprint, rule, severity, county_code, keys, message, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(fingerprint) DO UPDATE SET message = excluded.message, last_seen = excluded.last_seen,
                   resolved_at = NULL""",
            [finding.fingerprint, finding.rule, finding.severity, finding.county, json.dumps(list(finding.keys)),
             finding.message, at, at],
        )
    for fingerprint in resolved:
        connection.execute("UPDATE findings SET resolved_at = ? WHERE fingerprint = ? AND resolved_at IS NULL",
                           [at, fingerprint])
