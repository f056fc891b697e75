"""Current reports out of the store: JSON objects (the `nianbao parse --json` shape) and wide CSV rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from db.store import Store, StoredReport, current_report_filter
from parsers.schema import template_keys

# Report facts before the cell columns in a CSV row.
CSV_FACTS = ("county_code", "agency", "kind", "year", "template", "published_on", "page_date", "title", "version",
             "source_url")


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


def write_csv(out: TextIO, reports: Iterable[StoredReport], keys: list[str]) -> int:
    """One wide row per report, one column per cell key (blank cells empty); rows written."""
    writer = csv.writer(out)
    writer.writerow([*CSV_FACTS, *keys])
    count = 0
    for stored in reports:
        facts = [getattr(stored, name) for name in CSV_FACTS]
        values = stored.report.values
        writer.writerow([*("" if fact is None else fact for fact in facts),
                         *("" if values.get(key) is None else values[key] for key in keys)])
        count += 1
    return count
