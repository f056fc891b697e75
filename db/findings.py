"""SQL for the checks: the reports they read, and the findings they write (updated, never duplicated)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db.cells import CellIds, report_cells
from db.report_rows import REPORT_COLUMNS, StoredReport, stored_report


def _dicts(db: Database, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def reports_to_check(db: Database) -> Iterator[tuple[StoredReport, bool]]:
    """Every document's latest report, current version first in each agency and year, with is_current."""
    columns = ", ".join(f"r.{c}" for c in REPORT_COLUMNS)
    sql = f"""
        SELECT {columns}, r.is_current, a.normalized_name
        FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id
        WHERE r.parsed IS NOT NULL AND (r.is_current = 1 OR r.id = (
            SELECT v.id FROM reports v
            WHERE v.document_id IS r.document_id AND v.county_code IS r.county_code
              AND v.agency IS r.agency AND v.year IS r.year
            ORDER BY v.version DESC, v.id DESC LIMIT 1))
        ORDER BY r.county_code, r.agency, r.year, r.is_current DESC, r.version DESC"""
    ids = CellIds(db)
    for row in _dicts(db, sql):
        yield stored_report(row, row["normalized_name"], report_cells(db, row["id"], ids)), bool(row["is_current"])


def county_names(db: Database) -> dict[str, str]:
    """code → name of every county."""
    return {code: name for code, name in db.execute("SELECT code, name FROM counties").fetchall() if name}


def _text(value: Any) -> str | None:
    """expected/found as the text Datasette shows: numbers as written, strings as they are."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass
class SyncCounts:
    new: int = 0
    updated: int = 0
    reopened: int = 0
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "reopened": self.reopened, "resolved": self.resolved}


def sync_findings(db: Database, findings: Iterable[Any], *, now: str, rules: Iterable[str]) -> SyncCounts:
    """Write one run's findings: insert new ones, update open ones (last_seen), reopen returning ones,
    and mark resolved (with `now`) the open findings of `rules` that this run did not find."""
    counts = SyncCounts()
    seen: set[str] = set()
    with db.conn:
        for finding in findings:
            fingerprint = finding.fingerprint
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            row = db.execute("SELECT id, resolved_at FROM findings WHERE fingerprint = ?", [fingerprint]).fetchone()
            values = [finding.rule, finding.severity, finding.county, finding.agency, finding.year,
                      finding.report_id, json.dumps(finding.keys, ensure_ascii=False), _text(finding.expected),
                      _text(finding.found), finding.message, finding.url]
            if row is None:
                db.execute(
                    """INSERT INTO findings (fingerprint, rule, severity, county_code, agency, year, report_id, keys,
                           expected, found, message, url, first_seen, last_seen)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [fingerprint, *values, now, now])
                counts.new += 1
                continue
            db.execute(
                """UPDATE findings SET rule = ?, severity = ?, county_code = ?, agency = ?, year = ?, report_id = ?,
                       keys = ?, expected = ?, found = ?, message = ?, url = ?, last_seen = ?, resolved_at = NULL
                   WHERE id = ?""",
                [*values, now, row[0]])
            if row[1] is None:
                counts.updated += 1
            else:
                counts.reopened += 1
        counts.resolved = _resolve_missing(db, seen, now, list(rules))
    return counts


def _resolve_missing(db: Database, seen: set[str], now: str, rules: list[str]) -> int:
    db.execute("CREATE TEMP TABLE IF NOT EXISTS seen_fingerprints (fingerprint TEXT PRIMARY KEY)")
    db.execute("DELETE FROM seen_fingerprints")
    db.conn.executemany("INSERT INTO seen_fingerprints VALUES (?)", [(f,) for f in seen])
    marks = ", ".join("?" for _ in rules)
    cursor = db.execute(
        f"""UPDATE findings SET resolved_at = ?
            WHERE resolved_at IS NULL AND rule IN ({marks})
              AND fingerprint NOT IN (SELECT fingerprint FROM seen_fingerprints)""",
        [now, *rules])
    db.execute("DELETE FROM seen_fingerprints")
    return cursor.rowcount


def open_findings(db: Database) -> list[dict[str, Any]]:
    """Every finding not resolved, newest first."""
    return list(_dicts(db, "SELECT * FROM findings WHERE resolved_at IS NULL ORDER BY id DESC"))
