"""crawl_runs rows (one per site per crawl) and the crawl findings site_unreachable / site_changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


def now() -> str:
    """The current time as ISO 8601 UTC text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
                        [f"爬取中断 interrupted: 爬取进程（{other}）未正常结束 the crawl process died",
                         row_id])
                    stale += 1
            connection.executemany(
                "INSERT INTO crawl_runs (county_code, started_at, status, message) VALUES (?, ?, 'running', ?)",
                [(code, started_at, _running_message(owner)) for code in codes])
    finally:
        connection.close()
    return stale


def finish_runs(db_path: Path, runs: Iterable[SiteRun], owner: str) -> None:
    """Complete owner's 'running' rows with what the crawl saw (a row is inserted where none is running)."""
    _write_runs(db_path, list(runs), owner)


def drop_runs(db_path: Path, owner: str) -> None:
    """Delete owner's 'running' rows (a process of a shared crawl whose counts another process records)."""
    connection = _connect(db_path)
    try:
        with connection:
            connection.execute("DELETE FROM crawl_runs WHERE status = 'running' AND message = ?",
                               [_running_message(owner)])
    finally:
        connection.close()


def record_runs(db_path: Path, runs: Iterable[SiteRun]) -> None:
    """Insert one crawl_runs row per site, and raise or resolve the site_unreachable/site_changed findings."""
    _write_runs(db_path, list(runs), None)


def _write_runs(db_path: Path, runs: list[SiteRun], owner: str | None) -> None:
    connection = _connect(db_path)
    try:
        with connection:
            previous = {run.county_code: _previous(connection, run.county_code) for run in runs}
            for run in runs:
                row = asdict(run)
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
                _findings(connection, run, previous[run.county_code])
    finally:
        connection.close()


def _previous(connection: sqlite3.Connection, county_code: str) -> int | None:
    row = connection.execute(
        "SELECT MAX(reports_found) FROM crawl_runs WHERE county_code = ? AND status IN ('ok', 'empty')",
        [county_code],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _findings(connection: sqlite3.Connection, run: SiteRun, found_before: int | None) -> None:
    unreachable = run.status in ("failed", "blocked")
    changed = run.status == "empty" and bool(found_before)
    if unreachable:
        why = "被网站防护拦截（JS 验证）" if run.status == "blocked" else "无法访问"
        _raise(connection, run, "site_unreachable", f"门户网站{why}：{run.message}".rstrip("："))
    else:
        _resolve(connection, run, "site_unreachable")
    if changed:
        _raise(connection, run, "site_changed",
               f"门户网站本次未找到任何年报，上次找到 {found_before} 份：栏目可能已改版或迁移")
    elif run.reports_found:
        _resolve(connection, run, "site_changed")


def _fingerprint(rule: str, county_code: str) -> str:
    # The same identity as checks.model.Finding.fingerprint: rule + county + agency + year + keys.
    identity = [rule, county_code, "", None, []]
    encoded = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


def _raise(connection: sqlite3.Connection, run: SiteRun, rule: str, message: str) -> None:
    connection.execute(
        """INSERT INTO findings (fingerprint, rule, severity, county_code, keys, message, first_seen, last_seen)
           VALUES (?, ?, 'warning', ?, '[]', ?, ?, ?)
           ON CONFLICT(fingerprint) DO UPDATE SET message = excluded.message, last_seen = excluded.last_seen,
               resolved_at = NULL""",
        [_fingerprint(rule, run.county_code), rule, run.county_code, message, run.finished_at, run.finished_at],
    )


def _resolve(connection: sqlite3.Connection, run: SiteRun, rule: str) -> None:
    connection.execute(
        "UPDATE findings SET resolved_at = ? WHERE fingerprint = ? AND resolved_at IS NULL",
        [run.finished_at, _fingerprint(rule, run.county_code)],
    )
