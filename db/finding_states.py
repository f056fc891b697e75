"""A finding's life: open → fixed (its cause is gone: resolved_at) or dismissed (a person said it does not apply:
who, when, why, and which report version they judged). Notes record each step and any remark.

A dismissed finding is not alerted again; it comes back (open) only when its evidence changes: a report of other
content than the one judged (see `reopen_changed_evidence`, run with every check).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from db.transactions import immediate

STATUSES = ("open", "fixed", "dismissed")
STATUS_NAMES = {"open": "待整改", "fixed": "已整改", "dismissed": "已排除"}
SYSTEM = "nianbao"
# status as SQL over a findings row f
STATUS_SQL = ("CASE WHEN f.dismissed_at IS NOT NULL THEN 'dismissed' WHEN f.resolved_at IS NOT NULL THEN 'fixed' "
              "ELSE 'open' END")


class FindingNotFound(LookupError):
    pass


def _dicts(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _note(db: Database, finding_id: int, event: str, author: str | None, text: str | None, now: str) -> None:
    db.execute("INSERT INTO finding_notes (finding_id, event, author, text, created_at) VALUES (?, ?, ?, ?, ?)",
               [finding_id, event, author, text, now])


def _existing(db: Database, finding_id: int) -> dict[str, Any]:
    rows = _dicts(db, f"SELECT f.*, {STATUS_SQL} AS status FROM findings f WHERE f.id = ?", [finding_id])
    if not rows:
        raise FindingNotFound(finding_id)
    return rows[0]


def dismiss(db: Database, finding_id: int, *, by: str, reason: str, now: str) -> dict[str, Any]:
    """A person says the finding does not apply; its pending alerts are cancelled. The finding before the change."""
    with immediate(db):
        before = _existing(db, finding_id)
        db.execute("""UPDATE findings SET dismissed_at = ?, dismissed_by = ?, dismissed_reason = ?,
                      dismissed_report_id = report_id WHERE id = ?""", [now, by, reason, finding_id])
        db.execute("UPDATE alerts SET status = 'cancelled' WHERE finding_id = ? AND status = 'pending' "
                   "AND kind IN ('finding', 'reminder')", [finding_id])
        _note(db, finding_id, "dismissed", by, reason, now)
    return before


def reopen(db: Database, finding_id: int, *, by: str, reason: str | None, now: str) -> dict[str, Any]:
    """A person takes a dismissal back. The finding before the change."""
    with immediate(db):
        before = _existing(db, finding_id)
        _clear_dismissal(db, [finding_id])
        _note(db, finding_id, "reopened", by, reason, now)
    return before


def add_note(db: Database, finding_id: int, *, by: str, text: str, now: str) -> None:
    with immediate(db):
        _existing(db, finding_id)
        _note(db, finding_id, "note", by, text, now)


def _clear_dismissal(db: Database, ids: list[int]) -> None:
    """Open again, and to be announced again (as new) to its recipients."""
    last_alert = db.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0]
    db.conn.executemany("""UPDATE findings SET dismissed_at = NULL, dismissed_by = NULL, dismissed_reason = NULL,
                           dismissed_report_id = NULL, announce_after_alert = ? WHERE id = ?""",
                        [(last_alert, i) for i in ids])


def reopen_changed_evidence(db: Database, now: str) -> int:
    """Dismissed findings whose report now has other content than the version judged open again (in the caller's
    transaction); how many."""
    ids = [finding_id for finding_id, in db.execute(
        """SELECT f.id FROM findings f JOIN reports now ON now.id = f.report_id
           LEFT JOIN reports judged ON judged.id = f.dismissed_report_id
           WHERE f.dismissed_at IS NOT NULL AND f.report_id IS NOT f.dismissed_report_id
             AND now.content_hash IS NOT judged.content_hash""")]
    _clear_dismissal(db, ids)
    for finding_id in ids:
        _note(db, finding_id, "reopened", SYSTEM, "报告出现新版本，内容有变化，重新核查", now)
    return len(ids)


def open_missing_reports(db: Database, county: str, since_year: int) -> list[dict[str, Any]]:
    """Open missing_report findings of a county for since_year and later (id, agency, year)."""
    return _dicts(db, """SELECT id, agency, year FROM findings WHERE rule = 'missing_report' AND county_code = ?
                         AND year >= ? AND resolved_at IS NULL AND dismissed_at IS NULL ORDER BY year""",
                  [county, since_year])


def find(db: Database, *, status: str | None = "open", county: str | None = None, rule: str | None = None,
         agency: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Findings with their status, by county, agency and year; status None: all."""
    where, params = ["1 = 1"], []
    if status:
        where.append(f"{STATUS_SQL} = ?")
        params.append(status)
    if county:
        where.append("f.county_code LIKE ?")
        params.append(county + "%")
    if rule:
        where.append("f.rule = ?")
        params.append(rule)
    if agency:
        where.append("f.agency LIKE ?")
        params.append(f"%{agency}%")
    sql = (f"SELECT f.*, {STATUS_SQL} AS status FROM findings f WHERE {' AND '.join(where)} "
           "ORDER BY f.county_code, f.agency, f.year, f.id" + (f" LIMIT {int(limit)}" if limit else ""))
    return _dicts(db, sql, params)


def finding(db: Database, finding_id: int) -> dict[str, Any]:
    """One finding with its status, county name, report title and notes (oldest first)."""
    row = _existing(db, finding_id)
    extra = db.execute("""SELECT c.name, r.title FROM findings f LEFT JOIN counties c ON c.code = f.county_code
                          LEFT JOIN reports r ON r.id = f.report_id WHERE f.id = ?""", [finding_id]).fetchone()
    row["county_name"], row["title"] = extra
    row["notes"] = _dicts(db, "SELECT event, author, text, created_at FROM finding_notes WHERE finding_id = ? "
                              "ORDER BY id", [finding_id])
    return row
