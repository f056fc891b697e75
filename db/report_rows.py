"""A ParsedReport as database rows: the reports row and one report_values row per cell."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
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


def _number(value: Any) -> Any:
    if type(value) is int and not -_MAX_INTEGER <= value <= _MAX_INTEGER:
        return float(value)
    return value


@lru_cache(maxsize=4096)
def _key_columns(key: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(section, row, column, row_label, column_label) of a key; extra.* keys have no template labels."""
    info = key_info(key)
    if info:
        return info.section, info.row, info.column, info.row_label, info.column_label
    section, _, rest = key.partition(".")
    row, _, column = rest.rpartition(".")
    return section, row or None, column or None, None, None


def value_rows(report_id: int, report: ParsedReport) -> list[tuple[Any, ...]]:
    """(report_id, key, section, row, column, row_label, column_label, number, state, raw, unit) per cell."""
    values, states, raw, units = report.values, report.states, report.raw, report.units
    keys: Iterable[str] = values
    if not (raw.keys() <= values.keys() and states.keys() <= values.keys()):
        keys = dict.fromkeys([*values, *raw, *states])
    head = (report_id,)
    # A comprehension with tuple concatenation: this runs for every cell of every report ingested.
    return [head + (key,) + _key_columns(key) + (_number(values.get(key)), states.get(key), raw.get(key),
                                                 units.get(key))
            for key in keys]


INSERT_VALUES = """INSERT INTO report_values
    (report_id, key, section, "row", "column", row_label, column_label, number, state, raw, unit)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
