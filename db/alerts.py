"""SQL for alerts: what is new to announce, the pending queue, claiming rows to send, marking them sent or failed.

An alert goes pending → sending (claimed by one sender, in one transaction) → sent, or back to pending when
delivery failed. Two `nianbao alerts send` at once therefore never send the same alert; a claim whose process
is gone (killed mid-send) is taken over by the next sender.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from db.processes import pid_alive
from db.transactions import immediate


def _dicts(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


_FINDING_COLUMNS = """f.id, f.rule, f.severity, f.county_code AS county, c.name AS county_name, f.agency, f.year,
    f.report_id, f.keys, f.expected, f.found, f.message, f.url, f.first_seen, f.resolved_at, r.title"""
_FINDING_JOINS = """LEFT JOIN reports r ON r.id = f.report_id LEFT JOIN counties c ON c.code = f.county_code"""


def unannounced_findings(db: Database, rules: Iterable[str]) -> list[dict[str, Any]]:
    """Open findings of these rules that were never queued for anyone (since they were reopened after a dismissal;
    alerts cancelled by a dismissal do not count)."""
    rules = list(rules)
    marks = ", ".join("?" for _ in rules)
    return _dicts(db, f"""
        SELECT {_FINDING_COLUMNS} FROM findings f {_FINDING_JOINS}
        WHERE f.resolved_at IS NULL AND f.dismissed_at IS NULL AND f.rule IN ({marks})
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.finding_id = f.id AND a.kind = 'finding'
                          AND a.status != 'cancelled' AND a.id > coalesce(f.announce_after_alert, 0))
        ORDER BY f.id""", rules)


def unannounced_resolutions(db: Database) -> list[dict[str, Any]]:
    """Resolved findings that were emailed, whose resolution was not queued yet; with who got them."""
    rows = _dicts(db, f"""
        SELECT {_FINDING_COLUMNS}, group_concat(DISTINCT a.recipient) AS recipients
        FROM findings f {_FINDING_JOINS} JOIN alerts a ON a.finding_id = f.id AND a.kind = 'finding'
        WHERE f.resolved_at IS NOT NULL AND f.dismissed_at IS NULL AND a.status = 'sent'
          AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.finding_id = f.id AND b.kind = 'resolved')
        GROUP BY f.id ORDER BY f.id""")
    for row in rows:
        row["recipients"] = sorted((row["recipients"] or "").split(","))
    return rows


def overdue_findings(db: Database, rules: Iterable[str], *, seen_before: str, reminded_since: str
                     ) -> list[dict[str, Any]]:
    """Open findings first seen before `seen_before` (a date: their fix-by day has passed), one row per recipient
    who was sent the finding and has had no reminder of it since `reminded_since` (none pending either)."""
    rules = list(rules)
    marks = ", ".join("?" for _ in rules)
    return _dicts(db, f"""
        SELECT {_FINDING_COLUMNS}, s.recipient FROM findings f {_FINDING_JOINS}
        JOIN (SELECT DISTINCT finding_id, recipient FROM alerts WHERE kind = 'finding' AND status = 'sent') s
          ON s.finding_id = f.id
        WHERE f.resolved_at IS NULL AND f.dismissed_at IS NULL AND f.rule IN ({marks}) AND date(f.first_seen) < ?
          AND NOT EXISTS (SELECT 1 FROM alerts b WHERE b.finding_id = f.id AND b.recipient = s.recipient
                          AND b.kind = 'reminder' AND (b.created_at >= ? OR b.status IN ('pending', 'sending')))
        ORDER BY f.id, s.recipient""", [*rules, seen_before, reminded_since])


def department_counts(db: Database, rules: Iterable[str], *, overdue_before: str, week_start: str
                      ) -> list[dict[str, Any]]:
    """Per county and agency: findings open, of them first seen before `overdue_before` (past their fix-by day),
    fixed since `week_start`, fixed in all, dismissed. Only agencies with any."""
    rules = list(rules)
    marks = ", ".join("?" for _ in rules)
    return _dicts(db, f"""
        SELECT f.county_code AS county, c.name AS county_name, f.agency,
               count(*) FILTER (WHERE f.resolved_at IS NULL AND f.dismissed_at IS NULL) AS open,
               count(*) FILTER (WHERE f.resolved_at IS NULL AND f.dismissed_at IS NULL
                                AND date(f.first_seen) < ?) AS overdue,
               count(*) FILTER (WHERE f.resolved_at >= ? AND f.dismissed_at IS NULL) AS fixed_this_week,
               count(*) FILTER (WHERE f.resolved_at IS NOT NULL AND f.dismissed_at IS NULL) AS fixed,
               count(*) FILTER (WHERE f.dismissed_at IS NOT NULL) AS dismissed
        FROM findings f LEFT JOIN counties c ON c.code = f.county_code
        WHERE f.rule IN ({marks}) AND f.agency IS NOT NULL
        GROUP BY f.county_code, f.agency ORDER BY f.county_code, f.agency""", [overdue_before, week_start, *rules])


def queue(db: Database, rows: Iterable[dict[str, Any]], now: str) -> int:
    """Insert pending alerts: each row has finding_id, kind, recipient, subject_key, payload (a dict)."""
    count = 0
    with immediate(db):
        for row in rows:
            db.execute(
                """INSERT INTO alerts (finding_id, kind, recipient, subject_key, status, created_at, attempts, payload)
                   VALUES (?, ?, ?, ?, 'pending', ?, 0, ?)""",
                [row.get("finding_id"), row["kind"], row["recipient"], row.get("subject_key"), now,
                 json.dumps(row["payload"], ensure_ascii=False)])
            count += 1
    return count


def pending(db: Database) -> list[dict[str, Any]]:
    """Alerts not sent yet, oldest first, with their payload decoded."""
    rows = _dicts(db, """SELECT id, finding_id, kind, recipient, subject_key, created_at, attempts, payload
                         FROM alerts WHERE status = 'pending' ORDER BY id""")
    for row in rows:
        row["payload"] = json.loads(row["payload"] or "{}")
    return rows


def _release_abandoned_claims(db: Database, stale_before: str) -> None:
    """Claims of senders that died (their pid is gone) or that are older than stale_before go back to pending."""
    for claim, claimed_at in db.execute(
            "SELECT DISTINCT claimed_by, claimed_at FROM alerts WHERE status = 'sending'").fetchall():
        pid = int(str(claim).partition(":")[0] or 0)
        if pid <= 0 or not pid_alive(pid) or (claimed_at or "") < stale_before:
            db.execute("UPDATE alerts SET status = 'pending', claimed_by = NULL, claimed_at = NULL "
                       "WHERE status = 'sending' AND claimed_by = ?", [claim])


def claim(db: Database, claimant: str, now: str, stale_before: str) -> list[dict[str, Any]]:
    """Take every pending alert for this sender (claimant = "pid:token"), in one write transaction."""
    with immediate(db):
        _release_abandoned_claims(db, stale_before)
        db.execute("UPDATE alerts SET status = 'sending', claimed_by = ?, claimed_at = ? WHERE status = 'pending'",
                   [claimant, now])
    rows = _dicts(db, """SELECT id, finding_id, kind, recipient, subject_key, created_at, attempts, payload
                         FROM alerts WHERE status = 'sending' AND claimed_by = ? ORDER BY id""", [claimant])
    for row in rows:
        row["payload"] = json.loads(row["payload"] or "{}")
    return rows


def mark_sent(db: Database, ids: Iterable[int], now: str) -> None:
    """These alerts were delivered."""
    with immediate(db):
        db.conn.executemany("UPDATE alerts SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
                            "claimed_by = NULL, claimed_at = NULL WHERE id = ?", [(now, i) for i in ids])


def mark_failed(db: Database, ids: Iterable[int], error: str) -> None:
    """Delivery failed: the alerts go back to pending for the next run."""
    with immediate(db):
        db.conn.executemany("UPDATE alerts SET status = 'pending', attempts = attempts + 1, last_error = ?, "
                            "claimed_by = NULL, claimed_at = NULL WHERE id = ?", [(error, i) for i in ids])


def last_state(db: Database, subject_key: str) -> str | None:
    """The state (payload "state") of the latest alert about a crawl or job subject, or None."""
    row = db.execute("SELECT payload FROM alerts WHERE subject_key = ? ORDER BY id DESC LIMIT 1",
                     [subject_key]).fetchone()
    return json.loads(row[0] or "{}").get("state") if row else None


def subject_keys(db: Database, prefix: str) -> set[str]:
    """Every subject_key already used that starts with prefix (e.g. "job:")."""
    rows = db.execute("SELECT DISTINCT subject_key FROM alerts WHERE subject_key LIKE ?", [prefix + "%"]).fetchall()
    return {row[0] for row in rows}
