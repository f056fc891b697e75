"""A ParsedReport as database rows: the reports row and one report_values row per cell."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from parsers.report import ParsedReport
from parsers.schema import key_info

# SQLite integers are 64-bit; a cell of 25 digits (a table misread as one number) is kept as REAL
# rather than failing the whole document.
_MAX_INTEGER = 2**63 - 1


@dataclass
class StoredReport:
    """A current report as the store keeps it; `report` is the ParsedReport rebuilt from its JSON."""

    id: int
    county_code: str | None
    agency: str | None
    kind: str | None
    year: int | None
    title: str | None
    template: str | None
    published_on: str | None
    page_date: str | None
    first_seen: str
    source_url: str | None
    version: int
    report: ParsedReport
    agency_id: int | None = None
    normalized_agency: str | None = None
    document_id: int | None = None
    sha256: str | None = None


REPORT_COLUMNS = (
    "id", "county_code", "agency", "kind", "year", "title", "template", "published_on", "page_date",
    "first_seen", "source_url", "version", "agency_id", "document_id", "sha256", "parsed", "text",
)


def stored_report(row: dict[str, Any], normalized_agency: str | None) -> StoredReport:
    """Rebuild a StoredReport from a reports row (with its parsed JSON and text)."""
    report = ParsedReport.from_json(json.loads(row["parsed"]))
    report.text = row["text"] or ""
    return StoredReport(
        id=row["id"], county_code=row["county_code"], agency=row["agency"], kind=row["kind"], year=row["year"],
        title=row["title"], template=row["template"], published_on=row["published_on"],
        page_date=row["page_date"], first_seen=row["first_seen"], source_url=row["source_url"],
        version=row["version"], report=report, agency_id=row["agency_id"], normalized_agency=normalized_agency,
        document_id=row["document_id"], sha256=row["sha256"],
    )


def parse_status(report: ParsedReport) -> str:
    """parsed: every table of a known template was read; partial: something is missing."""
    complete = report.template != "unknown" and all(t in report.tables for t in ("active", "requests", "reviews"))
    return "parsed" if complete else "partial"


def _number(value: Any) -> int | float | None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INTEGER:
        return float(value)
    return value


def _split_key(key: str) -> tuple[str, str | None, str | None]:
    # extra.* keys (rows the template does not have) carry no template row or column.
    section, _, rest = key.partition(".")
    row, _, column = rest.rpartition(".")
    return section, row or None, column or None


def value_rows(report_id: int, report: ParsedReport) -> Iterator[tuple[Any, ...]]:
    """(report_id, key, section, row, column, row_label, column_label, number, state, raw, unit) per cell."""
    keys = dict.fromkeys([*report.values, *report.raw, *report.states])
    for key in keys:
        info = key_info(key)
        if info:
            section, row, column = info.section, info.row, info.column
            row_label, column_label = info.row_label, info.column_label
        else:
            (section, row, column), row_label, column_label = _split_key(key), None, None
        yield (report_id, key, section, row, column, row_label, column_label,
               _number(report.values.get(key)), report.states.get(key), report.raw.get(key), report.units.get(key))


INSERT_VALUES = """INSERT INTO report_values
    (report_id, key, section, "row", "column", row_label, column_label, number, state, raw, unit)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
