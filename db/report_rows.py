"""A ParsedReport as a reports row, and back (its cells are db/cells.py's)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from parsers.identity import identity_in_doubt
from parsers.report import ParsedReport


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


def stored_report(row: dict[str, Any], normalized_agency: str | None, cell_maps: dict[str, Any]) -> StoredReport:
    """Rebuild a StoredReport from a reports row (its parsed JSON and text) and its cells (db.cells.cell_maps)."""
    report = ParsedReport.from_json({**json.loads(row["parsed"]), **cell_maps})
    report.text = row["text"] or ""
    return StoredReport(
        id=row["id"], county_code=row["county_code"], agency=row["agency"], kind=row["kind"], year=row["year"],
        title=row["title"], template=row["template"], published_on=row["published_on"],
        page_date=row["page_date"], first_seen=row["first_seen"], source_url=row["source_url"],
        version=row["version"], report=report, agency_id=row["agency_id"], normalized_agency=normalized_agency,
        document_id=row["document_id"], sha256=row["sha256"],
    )


def parse_status(report: ParsedReport) -> str:
    """parsed: every table of a known template was read whole (a pre2019 report has none to read) and the agency
    and year are sure; partial: something is missing or in doubt (the warnings say what), or read uncertainly by
    OCR (report.uncertain)."""
    complete = report.template == "pre2019" or (
        report.template != "unknown" and all(t in report.tables for t in ("active", "requests", "reviews")))
    sure = not identity_in_doubt(report.agency_confidence, report.year_confidence)
    return "parsed" if complete and sure and not report.incomplete and not report.uncertain else "partial"
