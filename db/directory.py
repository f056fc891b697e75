"""The county's directory of agencies as its portal lists them (部门信息公开 → XX局): agencies.listed_on_portal."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from sqlite_utils import Database

from db.agency_names import normalize_agency

_PLACE_ENDINGS = ("县", "区", "市", "旗")


def full_name(county_name: str, listed: str) -> str:
    """The name with the county in front, as reports are signed: 教育局 / 县教育局 → 安远县教育局."""
    if not county_name or listed.startswith(county_name):
        return listed
    if listed[:1] in _PLACE_ENDINGS and county_name.endswith(listed[:1]):
        return county_name + listed[1:]
    return county_name + listed


def record_directory(connection: sqlite3.Connection, county_code: str, departments: Mapping[str, str],
                     seen_at: str) -> int:
    """Mark every department the portal lists (name → sub-site URL) as listed, adding agencies the store did
    not know; agencies listed before but not in this directory are no longer listed. An empty directory (not
    found this time) changes nothing. Returns how many agencies are listed."""
    if not departments:
        return 0
    row = connection.execute("SELECT name FROM counties WHERE code = ?", [county_code]).fetchone()
    county_name = (row[0] if row else "") or ""
    keys: set[str] = set()
    for listed, url in departments.items():
        name = full_name(county_name, listed)
        key = normalize_agency(name)
        if not key or key in keys:
            continue
        keys.add(key)
        updated = connection.execute(
            "UPDATE agencies SET listed_on_portal = 1, portal_url = ?, listed_seen = ? "
            "WHERE county_code = ? AND normalized_name = ?", [url, seen_at, county_code, key]).rowcount
        if not updated:
            connection.execute(
                "INSERT INTO agencies (county_code, name, normalized_name, listed_on_portal, portal_url, listed_seen)"
                " VALUES (?, ?, ?, 1, ?, ?)", [county_code, name, key, url, seen_at])
    marks = ", ".join("?" for _ in keys)
    connection.execute(f"UPDATE agencies SET listed_on_portal = 0 WHERE county_code = ? AND listed_on_portal = 1 "
                       f"AND normalized_name NOT IN ({marks})", [county_code, *keys])
    return len(keys)


def listed_agencies(db: Database) -> list[tuple[str, str, str | None]]:
    """(county code, name, sub-site URL) of every agency the portals list now."""
    return [(county, name, url) for county, name, url in db.execute(
        "SELECT county_code, name, portal_url FROM agencies WHERE listed_on_portal = 1 ORDER BY county_code, name")]
