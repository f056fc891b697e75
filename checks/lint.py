"""A draft checked before it is published: the rules of `nianbao check` on one parsed report, without a store.

The rules are the ones of checks.runner.REPORT_RULES, run through the same apply_rules; only the ReportRecord
is built from the document itself (a stored report gets county, URL and dates from the crawl, a draft has none).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from checks.agencies import agency_key
from checks.model import Finding
from checks.runner import REPORT_RULES, apply_rules
from checks.subject import CheckSettings, ReportRecord, Subject
from nianbao.errors import InputError
from parsers import ParseError
from parsers.pool import parse_many
from parsers.report import ParsedReport

# Rules that compare with the same agency's previous-year report: run only when it is given.
HISTORY_RULES: tuple[str, ...] = ("carry_over_mismatch", "in_force_rollover", "copied_report")
# Rules about published documents, not a draft: `late` judges the publication date, `duplicate_report` two
# documents on a portal, `report_degraded` a portal serving less of a report than before.
PUBLISHED_RULES: tuple[str, ...] = ("duplicate_report", "report_degraded", "late")
# Every other rule of `nianbao check` needs only the document, in the order of checks.md.
IN_REPORT_RULES: tuple[str, ...] = tuple(code for code in REPORT_RULES
                                         if code not in HISTORY_RULES and code not in PUBLISHED_RULES)

YearSource = Literal["option", "title", "statistics"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class DraftCheck:
    """What the rules found in one draft, and what they could not judge without last year's report."""

    record: ReportRecord
    findings: list[Finding] = field(default_factory=list)
    skipped: tuple[str, ...] = ()
    year_source: YearSource | None = None
    previous: ReportRecord | None = None

    @property
    def report(self) -> ParsedReport:
        return self.record.report

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


def draft_record(report: ParsedReport, source: str, year: int | None = None) -> ReportRecord:
    """The checks' view of a document that is not stored: its own agency and year (or the year given)."""
    return ReportRecord(
        report=report, county=None, agency=report.agency, year=year or report.year or report.statistics_year,
        kind=report.kind, url=source, document=source, title=report.title, published_on=report.published_on,
        agency_key=agency_key(report.agency),
    )


def year_source(report: ParsedReport, year: int | None) -> YearSource | None:
    """Where the year the rules use comes from: --year, the title, or the statistics period of the text."""
    if year is not None:
        return "option"
    if report.year is not None:
        return "title"
    return "statistics" if report.statistics_year is not None else None


def check_draft(report: ParsedReport, source: str, *, year: int | None = None,
                previous: ReportRecord | None = None, settings: CheckSettings | None = None) -> DraftCheck:
    """Every in-report rule over one parsed draft, and the history rules when last year's report is given."""
    record = draft_record(report, source, year)
    codes = IN_REPORT_RULES + (HISTORY_RULES if previous is not None else ())
    rules = {code: REPORT_RULES[code] for code in codes}
    # as_of only matters to deadline rules, which a draft does not run.
    subject = Subject(record, settings or CheckSettings(), date.today(), previous=previous)
    findings = sorted(apply_rules(subject, rules), key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return DraftCheck(record, findings, () if previous is not None else HISTORY_RULES, year_source(report, year),
                      previous)


def pair_previous(report: ParsedReport, source: str, year: int | None, previous: Sequence[ReportRecord], *,
                  only_draft: bool = False) -> ReportRecord | None:
    """The previous-year report of a draft: the one of the same agency of the year before (or, years unknown, the
    first of that agency); for a lone draft and a lone previous report, that one whatever its name says. Never the
    draft itself, nor a report of the same year or later (a folder given both as drafts and as --previous)."""
    key = agency_key(report.agency)
    draft_year = year or report.year or report.statistics_year
    candidates = [record for record in previous if record.url != source
                  and (record.year is None or draft_year is None or record.year < draft_year)]
    matches = [record for record in candidates if key and record.agency_key == key]
    if not matches:
        return candidates[0] if only_draft and len(candidates) == 1 else None
    wanted = draft_year - 1 if draft_year else None
    return next((record for record in matches if record.year == wanted), matches[0])


def lint_files(paths: Sequence[Path], *, year: int | None = None, previous: Sequence[ReportRecord] = (),
               workers: int = 1) -> Iterator[tuple[Path, DraftCheck | ParseError]]:
    """Parse and check each draft in turn: (path, what the rules found) or (path, why it cannot be read)."""
    for path, outcome in parse_many(paths, workers):
        if isinstance(outcome, ParseError):
            yield path, outcome
            continue
        last_year = pair_previous(outcome, str(path), year, previous, only_draft=len(paths) == 1)
        yield path, check_draft(outcome, str(path), year=year, previous=last_year)


def read_previous(paths: Sequence[Path]) -> list[ReportRecord]:
    """Last year's reports given with --previous; one that cannot be read is an InputError naming it."""
    records = []
    for path, outcome in parse_many(paths):
        if isinstance(outcome, ParseError):
            raise InputError(f"--previous {outcome}")
        records.append(draft_record(outcome, str(path)))
    return records
