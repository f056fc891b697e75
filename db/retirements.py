"""Agencies that no longer exist (merged, abolished), as a person recorded them: no report is owed from a year on."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.transactions import immediate


def retire(db: Database, *, county: str, agency: str, since_year: int, reason: str, by: str, now: str) -> int:
    """Record that `agency` of `county` owes no report from `since_year` on; the id of the record."""
    with immediate(db):
        cursor = db.execute(
            """INSERT INTO agency_retirements (county_code, agency, since_year, reason, retired_by, retired_at)
               VALUES (?, ?, ?, ?, ?, ?)""", [county, agency, since_year, reason, by, now])
    return int(cursor.lastrowid or 0)


def retirements(db: Database) -> list[dict[str, Any]]:
    """Every retirement recorded, oldest first."""
    cursor = db.execute("""SELECT id, county_code, agency, since_year, reason, retired_by, retired_at
                           FROM agency_retirements ORDER BY id""")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def open_missing_years(db: Database) -> list[int]:
    """The report years that still have a missing_report finding not fixed (open or dismissed)."""
    return [year for year, in db.execute(
        """SELECT DISTINCT year FROM findings WHERE rule = 'missing_report' AND resolved_at IS NULL
           AND year IS NOT NULL ORDER BY year""")]
