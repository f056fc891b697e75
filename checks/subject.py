"""What the rules look at: one stored report with its context, and the settings of [checks]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from checks.model import RULES, SEVERITY, Finding, Severity, Value
from nianbao.config_values import Keys, existing_file, list_of, month_day, one_of, table_of, whole
from nianbao.errors import ConfigError
from parsers.report import ParsedReport

# 条例（2019）第四十九条: departments by January 31, county-level governments by March 31.
DEFAULT_DEADLINES = {"department": "01-31", "government": "03-31"}


# [checks] as nianbao.toml may set it (`watch` is read by checks.service.watch_list_of).
CHECKS_KEYS: Keys = {
    "watch": existing_file(relative_to_config=True),
    "deadlines": table_of(month_day, '{department = "01-31", government = "03-31"}'),
    "grace_days": whole(0),
    "missing_grace_days": whole(0),
    "years": list_of(whole(1990, 2100)),
    "alert_rules": list_of(one_of(*RULES, what="规则代码（README 的 The checks 一节）")),
    "copied_min_chars": whole(0),
    "implausible_count": whole(1),
    "expected_years": whole(1, 50),
}


@dataclass(frozen=True)
class CheckSettings:
    """The [checks] section of nianbao.toml, with defaults."""

    deadlines: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    grace_days: int = 0  # a report published this many days after the deadline is not yet late
    missing_grace_days: int = 7  # wait this long after the deadline before calling a report missing
    years: tuple[int, ...] | None = None  # watched report years; None = the two latest
    alert_rules: tuple[str, ...] | None = None  # rules that raise alerts; None = all
    copied_min_chars: int = 200  # narratives shorter than this are boilerplate, not evidence of copying
    implausible_count: int = 1_000_000  # a count above this is an implausible_value finding
    expected_years: int = 3  # an agency that published in one of this many years before N must publish for N

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> CheckSettings:
        """Read [checks]; a wrong value raises ConfigError naming the key."""
        deadlines = dict(DEFAULT_DEADLINES)
        given = section.get("deadlines", {})
        if not isinstance(given, Mapping):
            raise ConfigError("[checks] deadlines 应为表，如 {department = \"01-31\"}")
        for kind, text in given.items():
            _month_day(str(text), f"[checks] deadlines.{kind}")
            deadlines[str(kind)] = str(text)
        years = section.get("years")
        if years is not None and not (isinstance(years, list) and all(isinstance(y, int) for y in years)):
            raise ConfigError("[checks] years 应为年份列表，如 [2023, 2024]")
        rules = section.get("alert_rules")
        if rules is not None:
            unknown = [rule for rule in rules if rule not in SEVERITY]
            if unknown:
                raise ConfigError(f"[checks] alert_rules：未知的规则代码 {', '.join(map(str, unknown))}")
        try:
            return cls(
                deadlines=deadlines,
                grace_days=int(section.get("grace_days", 0)),
                missing_grace_days=int(section.get("missing_grace_days", 7)),
                years=tuple(years) if years is not None else None,
                alert_rules=tuple(rules) if rules is not None else None,
                copied_min_chars=int(section.get("copied_min_chars", 200)),
                implausible_count=int(section.get("implausible_count", 1_000_000)),
                expected_years=int(section.get("expected_years", 3)),
            )
        except (TypeError, ValueError) as error:
            raise ConfigError(f"[checks] 中的天数和数量应为整数（{error}）") from error

    def deadline(self, year: int, kind: str) -> date | None:
        """The publication deadline of the report for `year` (in year + 1), or None if no rule applies."""
        text = self.deadlines.get(kind)
        if not text:
            return None
        month, day = _month_day(text, f"[checks] deadlines.{kind}")
        return date(year + 1, month, day)

    def watched_years(self, as_of: date) -> tuple[int, ...]:
        """The report years whose missing reports are looked for."""
        return self.years if self.years is not None else (as_of.year - 2, as_of.year - 1)

    def raises_alert(self, rule: str) -> bool:
        """Whether findings of this rule are emailed."""
        return self.alert_rules is None or rule in self.alert_rules


def _month_day(text: str, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2001, month, day)
    except ValueError as error:
        raise ConfigError(f"{where}: {text!r} 不是“月-日”格式的日期（如 \"01-31\"）") from error
    return month, day


@dataclass(slots=True)  # one per stored report, kept (without cells) for missing_report
class ReportRecord:
    """A stored report and the facts around it that are not in the document itself."""

    report: ParsedReport
    county: str | None
    agency: str | None
    year: int | None
    kind: str = "department"
    url: str | None = None
    report_id: int | None = None
    document: str | None = None  # identity of the source document (document id or URL)
    title: str | None = None
    published_on: str | None = None  # date the report carries
    page_date: str | None = None  # date the portal page claims
    first_seen: str | None = None  # when the crawler first saw it (ISO time)
    agency_key: str | None = None  # normalized agency name
    narrative: str | None = field(default=None, repr=False)  # history.narrative of the report, once computed


@dataclass
class Subject:
    """One report under check, with its previous-year report and other documents for the same year."""

    record: ReportRecord
    settings: CheckSettings = field(default_factory=CheckSettings)
    as_of: date = field(default_factory=date.today)
    previous: ReportRecord | None = None
    others: list[ReportRecord] = field(default_factory=list)
    degraded: list[ReportRecord] = field(default_factory=list)  # later, less complete readings of its document
    # What several rules derive from the report, computed by the first that needs it.
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def report(self) -> ParsedReport:
        return self.record.report

    def finding(self, rule: str, keys: list[str], expected: Value, found: Value, message: str,
                severity: Severity | None = None) -> Finding:
        """A finding about this report, with the rule's severity unless given; on a scanned report (OCR) the
        message says that the reading may be at fault."""
        record = self.record
        if record.report.ocr:
            doubtful = set(keys) & set(record.report.uncertain)
            message += ("（扫描件 OCR 识别：所涉单元格读数不确定，可能是识别误差，请对照原件）" if doubtful
                        else "（扫描件 OCR 识别，读数可能有误）")
        return Finding(
            rule=rule, severity=severity or SEVERITY[rule], county=record.county, agency=record.agency,
            year=record.year, keys=keys, expected=expected, found=found, message=message, url=record.url,
            report_id=record.report_id, agency_key=record.agency_key,
        )


def parse_day(text: str | None) -> date | None:
    """The date of an ISO date or time text, or None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def days_after(day: date, days: int) -> date:
    """day + days."""
    return day + timedelta(days=days)
