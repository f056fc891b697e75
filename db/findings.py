"""SQL for the checks: the reports they read, and the findings they write (updated, never duplicated)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db.cells import CellIds, report_cells
from db.finding_states import reopen_changed_evidence
from db.report_rows import REPORT_COLUMNS, StoredReport, stored_report
from db.transactions import immediate


def _dicts(db: Database, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def reports_to_check(db: Database, counties: Sequence[str | None] | None = None
                     ) -> Iterator[tuple[StoredReport, bool]]:
    """Every document's latest report, ordered by county, current version first in each agency and year, with
    is_current; only those of `counties` when given (None in it: reports without a county)."""
    if counties is None:
        yield from _reports_where(db, "", [])
        return
    if None in counties:  # first, as ORDER BY puts NULL first
        yield from _reports_where(db, "AND r.county_code IS NULL", [])
    codes = [code for code in counties if code is not None]
    if codes:  # an IN list, not an OR: SQLite then searches the county index instead of scanning it
        yield from _reports_where(db, f"AND r.county_code IN ({', '.join('?' * len(codes))})", codes)


def _reports_where(db: Database, where: str, params: list[Any]) -> Iterator[tuple[StoredReport, bool]]:
    columns = ", ".join(f"r.{c}" for c in REPORT_COLUMNS)
    sql = f"""
        SELECT {columns}, r.is_current, a.normalized_name
        FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id
        WHERE r.parsed IS NOT NULL AND (r.is_current = 1 OR r.id = (
            SELECT v.id FROM reports v
            WHERE v.document_id IS r.document_id AND v.county_code IS r.county_code
              AND v.agency IS r.agency AND v.year IS r.year
            ORDER BY v.version DESC, v.id DESC LIMIT 1)) {where}
        ORDER BY r.county_code, r.agency, r.year, r.is_current DESC, r.version DESC"""
    ids = CellIds(db)
    for row in _dicts(db, sql, params):
        yield stored_report(row, row["normalized_name"], report_cells(db, row["id"], ids)), bool(row["is_current"])


def county_report_counts(db: Database) -> dict[str | None, int]:
    """county code → how many parsed reports it has, in the order reports_to_check reads them."""
    return dict(db.execute(
        "SELECT county_code, count(*) FROM reports WHERE parsed IS NOT NULL GROUP BY county_code ORDER BY county_code"
    ).fetchall())


def county_names(db: Database) -> dict[str, str]:
    """code → name of every county."""
    return {code: name for code, name in db.execute("SELECT code, name FROM counties").fetchall() if name}


def _text(value: Any) -> str | None:
    """expected/found as the text Datasette shows: numbers as written, strings as they are."""
    if value is None or type(value) is str:
        return value
    return str(value) if type(value) is int else _JSON.encode(value)


_JSON = json.JSONEncoder(ensure_ascii=False)


@dataclass
class SyncCounts:
    new: int = 0
    updated: int = 0
    reopened: int = 0
    resolved: int = 0
    undismissed: int = 0  # dismissed findings open again: their report changed

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "reopened": self.reopened, "resolved": self.resolved,
                "undismissed": self.undismissed}


def sync_findings(db: Database, findings: Iterable[Any], *, now: str, rules: Iterable[str]) -> SyncCounts:
    """Write one run's findings: insert new ones, update open ones (last_seen), reopen returning ones,
    and mark resolved (with `now`) the open findings of `rules` that this run did not find.

    One transaction, set-wise through a temporary table (a statement per finding cost ~0.3 ms each)."""
    counts = SyncCounts()
    rows = ((f.fingerprint, f.rule, f.severity, f.county, f.agency, f.year, f.report_id,
             _JSON.encode(f.keys), _text(f.expected), _text(f.found), f.message, f.url)
            for f in findings)
    rules = list(rules)
    # Every open finding is rewritten: with SQLite's default 2 MB page cache that spilled to disk midway.
    # Only for this statement group, so crawls and ingests keep the small cache. (temp_store = MEMORY saved another
    # 25% of the writing, but doubled the peak memory of a large check.)
    cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -65536")
    try:
        _write_findings(db, rows, now, rules, counts)
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return counts


def _write_findings(db: Database, rows: Iterable[tuple[Any, ...]], now: str, rules: list[str],
                    counts: SyncCounts) -> None:
    marks = ", ".join("?" for _ in rules)
    with immediate(db):
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS run_findings (seq INTEGER PRIMARY KEY, {_RUN_COLUMNS})")
        db.execute("DELETE FROM run_findings")
        # The first finding of a fingerprint wins, as it did when they were written one by one.
        db.conn.executemany(f"INSERT OR IGNORE INTO run_findings ({_NAMES}) VALUES ({', '.join('?' * 12)})", rows)
        counts.updated, counts.reopened = db.execute(
            """SELECT count(*) FILTER (WHERE f.resolved_at IS NULL), count(*) FILTER (WHERE f.resolved_at IS NOT NULL)
               FROM run_findings n JOIN findings f ON f.fingerprint = n.fingerprint""").fetchone()
        counts.updated, counts.reopened = counts.updated or 0, counts.reopened or 0
        # rule, county and year are part of the fingerprint, so they never change; the columns of an index are
        # set only on the rows where they change (setting them on every row rewrote every index entry).
        updates = ", ".join(f"{name} = n.{name}" for name in _MUTABLE)
        db.execute(f"""UPDATE findings SET {updates}, last_seen = ?
                       FROM run_findings n WHERE findings.fingerprint = n.fingerprint""", [now])
        db.execute("""UPDATE findings SET report_id = n.report_id FROM run_findings n
                      WHERE findings.fingerprint = n.fingerprint AND findings.report_id IS NOT n.report_id""")
        db.execute("""UPDATE findings SET resolved_at = NULL FROM run_findings n
                      WHERE findings.fingerprint = n.fingerprint AND findings.resolved_at IS NOT NULL""")
        counts.new = db.execute(
            f"""INSERT INTO findings ({_NAMES}, first_seen, last_seen)
                SELECT {_NAMES}, ?, ? FROM run_findings n
                WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.fingerprint = n.fingerprint) ORDER BY n.seq""",
            [now, now]).rowcount
        counts.resolved = db.execute(
            f"""UPDATE findings SET resolved_at = ?
                WHERE resolved_at IS NULL AND rule IN ({marks})
                  AND fingerprint NOT IN (SELECT fingerprint FROM run_findings)""", [now, *rules]).rowcount
        db.execute("DELETE FROM run_findings")
        counts.undismissed = reopen_changed_evidence(db, now)


_NAMES = "fingerprint, rule, severity, county_code, agency, year, report_id, keys, expected, found, message, url"
_MUTABLE = ("severity", "agency", "keys", "expected", "found", "message", "url")
_RUN_COLUMNS = ("fingerprint TEXT NOT NULL UNIQUE, rule TEXT, severity TEXT, county_code TEXT, agency TEXT, "
                "year INTEGER, report_id INTEGER, keys TEXT, expected TEXT, found TEXT, message TEXT, url TEXT")


def open_findings(db: Database) -> list[dict[str, Any]]:
    """Every finding neither resolved nor dismissed, newest first."""
    return list(_dicts(db, "SELECT * FROM findings WHERE resolved_at IS NULL AND dismissed_at IS NULL "
                           "ORDER BY id DESC"))
