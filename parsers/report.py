"""The normalized report: what `nianbao parse --json` prints and what the store keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from parsers.schema import Template
from parsers.values import CellState, Number

if TYPE_CHECKING:
    from parsers.identity import Identity

AgencyKind = Literal["department", "government", "other"]
PARSER_VERSION = "1"


@dataclass
class ParsedReport:
    source: str
    agency: str | None = None
    year: int | None = None
    template: Template = "unknown"
    published_on: str | None = None  # ISO date of the report's closing date line
    title: str | None = None
    kind: AgencyKind = "department"
    # The year of 本报告统计数据从N年1月1日至N年12月31日, when the text states one.
    statistics_year: int | None = None
    # Where the agency and year were read (parsers.identity.WEIGHTS names the sources) and how sure that is
    # (0..1); None in reports stored before they were recorded.
    agency_source: str | None = None
    agency_confidence: float | None = None
    year_source: str | None = None
    year_confidence: float | None = None
    values: dict[str, Number | None] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    states: dict[str, CellState] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    # Which of the six outline sections (一…六) and the three tables (active, requests, reviews)
    # the document has: the checks missing_section / missing_table read them.
    sections: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    # Numbers the narrative states, e.g. {"requests.received.total": 5} from 收到政府信息公开申请5件.
    stated: dict[str, Number] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Tables (active, requests, reviews) the outline shows but that were read with fewer cells than the
    # template has: the report is `partial` (db.report_rows.parse_status) and a warning says which.
    incomplete: list[str] = field(default_factory=list)
    # The parser was unsure of its own reading (a fuzzy label, a reading chosen among several): the
    # warnings say where; findings on such a report may be the reading's fault, not the document's.
    reading_doubt: bool = False
    ocr: bool = False  # read from page images by OCR
    # Keys whose OCR reading the tables' arithmetic could not confirm (state ocr_uncertain): a check failing
    # on them may be the reading's fault, and the report is partial.
    uncertain: list[str] = field(default_factory=list)
    text: str = ""  # the whole normalized text, for search and the copied-report check

    def set_cell(self, key: str, raw: str, state: CellState, number: Number | None, unit: str | None) -> None:
        self.values[key] = number
        self.raw[key] = raw
        self.states[key] = state
        if unit:
            self.units[key] = unit

    def set_identity(self, identity: Identity) -> None:
        """Take agency, year, title, their sources and confidences, and the doubts about them."""
        self.agency, self.year, self.title = identity.agency, identity.year, identity.title
        self.agency_source, self.agency_confidence = identity.agency_source, identity.agency_confidence
        self.year_source, self.year_confidence = identity.year_source, identity.year_confidence
        self.warnings.extend(identity.warnings)

    def to_json(self, with_text: bool = False) -> dict[str, Any]:
        """The report object of docs/report-keys.md (`nianbao parse --json`), plus the extra facts the checks need."""
        data: dict[str, Any] = {
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "published_on": self.published_on,
            "source": self.source,
            "values": self.values,
            "raw": self.raw,
            "warnings": self.warnings,
            "title": self.title,
            "kind": self.kind,
            "statistics_year": self.statistics_year,
            "agency_source": self.agency_source,
            "agency_confidence": self.agency_confidence,
            "year_source": self.year_source,
            "year_confidence": self.year_confidence,
            "states": self.states,
            "units": self.units,
            "sections": self.sections,
            "tables": self.tables,
            "stated": self.stated,
            "incomplete": self.incomplete,
            "reading_doubt": self.reading_doubt,
            "ocr": self.ocr,
            "uncertain": self.uncertain,
            "parser_version": PARSER_VERSION,
        }
        if with_text:
            data["text"] = self.text
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedReport:
        """Rebuild a report from its JSON (the store keeps parsed reports this way)."""
        fields = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**fields)


def read_cell_count(states: Mapping[str, str]) -> int:
    """Template cells read as a number or a placeholder (`/`, 无), from a report's cell states."""
    return sum(1 for key, state in states.items() if state in ("number", "none") and not key.startswith("extra."))
