"""Current reports out of the store: JSON objects (the `nianbao parse --json` shape) and wide CSV rows (their
columns: db/export_rows.py)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from db.store import Store, StoredReport, current_report_filter
from parsers.schema import template_keys


def report_object(stored: StoredReport) -> dict[str, Any]:
    """The report as `nianbao parse --json` prints it, plus its county code and source URL."""
    data = stored.report.to_json()
    data["county_code"] = stored.county_code
    data["source_url"] = stored.source_url
    return data


def export_objects(store: Store, year: int | None = None, county_code: str | None = None) -> Iterator[dict[str, Any]]:
    """One JSON-ready object per current report."""
    for stored in store.current_reports(year=year, county_code=county_code):
        yield report_object(stored)


def csv_keys(store: Store, year: int | None = None, county_code: str | None = None) -> list[str]:
    """Cell columns: the 2021 template's keys, then 2019-only keys, then any extra.* keys found, sorted."""
    keys = list(dict.fromkeys([*template_keys("2021"), *template_keys("2019")]))
    where, params = current_report_filter(year, county_code)
    found = store.db.execute(
        f"SELECT DISTINCT v.key FROM report_values v JOIN reports r ON r.id = v.report_id WHERE {' AND '.join(where)}",
        params,
    ).fetchall()
    known = set(keys)
    return keys + sorted(key for (key,) in found if key not in known)


def write_csv(out: TextIO, header: list[str], rows: Iterable[list[Any]]) -> int:
    """The header, then one row per report (blank cells empty); rows written. The caller opens `out` as UTF-8
    with BOM (utf-8-sig), so that Excel and WPS on Chinese Windows read the Chinese as Chinese."""
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return count
