"""Run every rule over a set of stored reports: pure, no SQL; a rule that fails says so in a finding."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from checks import cells, history, structure, sums, timeliness
from checks.agencies import agency_key
from checks.model import Finding
from checks.subject import CheckSettings, ReportRecord, Subject
from checks.timeliness import Expectation
from checks.watchlist import ListedAgency, WatchedAgency
from parsers.metadata import agency_kind
from parsers.report import ParsedReport

logger = logging.getLogger(__name__)

Rule = Callable[[Subject], Iterable[Finding]]

# Every rule about one report, in the order of checks.md.
REPORT_RULES: dict[str, Rule] = {
    "balance": sums.balance,
    "row_total": sums.row_total,
    "results_total": sums.results_total,
    "review_total": sums.review_total,
    "litigation_total": sums.litigation_total,
    "negative_value": cells.negative_value,
    "unreadable_value": cells.unreadable_value,
    "blank_cell": cells.blank_cell,
    "unit_suspect": cells.unit_suspect,
    "implausible_value": cells.implausible_value,
    "narrative_mismatch": structure.narrative_mismatch,
    "missing_table": structure.missing_table,
    "missing_row": structure.missing_row,
    "outdated_template": structure.outdated_template,
    "unknown_template": structure.unknown_template,
    "year_mismatch": structure.year_mismatch,
    "missing_section": structure.missing_section,
    "carry_over_mismatch": history.carry_over_mismatch,
    "in_force_rollover": history.in_force_rollover,
    "copied_report": history.copied_report,
    "duplicate_report": history.duplicate_report,
    "report_degraded": history.report_degraded,
    "late": timeliness.late,
}

# A report from before the 2019 template has no tables to check and fell under the old 条例's deadlines: only
# these rules judge it.
PRE_TEMPLATE_RULES = frozenset({"year_mismatch", "duplicate_report"})

Identity = tuple[str, str, int]


# Rules on the numbers of the tables: their findings may come from the reading, not the document.
CELL_RULES = frozenset({"balance", "row_total", "results_total", "review_total", "litigation_total",
                        "negative_value", "unreadable_value", "blank_cell", "unit_suspect", "implausible_value",
                        "missing_row"})
READING_DOUBT_NOTE = "（注意：解析器读取本报告表格时存疑，见报告的解析提示；请先核对原文，问题可能出在读取而非原文）"


def apply_rules(subject: Subject, rules: Mapping[str, Rule] = REPORT_RULES) -> Iterator[Finding]:
    """Every rule over one report; an exception becomes an info finding of that rule, never a crash."""
    doubt = getattr(subject.record.report, "reading_doubt", False)
    if subject.report.template == "pre2019":
        rules = {code: rule for code, rule in rules.items() if code in PRE_TEMPLATE_RULES}
    for code, rule in rules.items():
        try:
            found = list(rule(subject))
        except Exception as error:  # a rule must never stop the run on odd data
            logger.exception("规则 %s 检查 %s 时出错", code, subject.record.url)
            found = [subject.finding(code, [], None, None,
                                     f"检查规则出错，无法判断（{type(error).__name__}: {error}），请人工查看",
                                     severity="info")]
        if doubt and code in CELL_RULES:
            found = [replace(finding, message=finding.message + READING_DOUBT_NOTE) for finding in found]
        yield from found


def _identity(record: ReportRecord) -> Identity | None:
    if record.county is None or record.year is None:
        return None
    return record.county, record.agency_key or "", record.year


def check_all(records: Iterable[ReportRecord], *, settings: CheckSettings, as_of: date,
              watch: Iterable[WatchedAgency] = (), crawled: Mapping[str, date | None] | None = None,
              current: Callable[[ReportRecord], bool] | None = None,
              retired: Mapping[tuple[str, str], int] | None = None,
              open_missing_years: Iterable[int] = ()) -> list[Finding]:
    """All findings for these reports (current versions and other documents), the watch list and deadlines."""
    return list(check_batches([records], settings=settings, as_of=as_of, watch=watch, crawled=crawled,
                              current=current, retired=retired, open_missing_years=open_missing_years))


@dataclass
class BatchResult:
    """What checking one batch of counties leaves for the run: its findings, the report chosen for each
    county/agency/year (without cells and text: missing_report needs only who published what), and the
    records without a county or year, whose rules run at the end."""

    findings: list[Finding] = field(default_factory=list)
    chosen: dict[Identity, ReportRecord] = field(default_factory=dict)
    loose: list[ReportRecord] = field(default_factory=list)

    def extend(self, other: BatchResult) -> None:
        self.findings += other.findings
        self.chosen.update(other.chosen)
        self.loose += other.loose


def check_batch(batch: Iterable[ReportRecord], *, settings: CheckSettings, as_of: date,
                current: Callable[[ReportRecord], bool] | None = None) -> BatchResult:
    """The rules about each report of a batch, which must hold every record of the counties it has."""
    result = BatchResult()
    groups: dict[Identity, list[ReportRecord]] = defaultdict(list)
    for record in batch:
        if record.agency_key is None:
            record.agency_key = agency_key(record.agency)
        identity = _identity(record)
        if identity is None:
            result.loose.append(record)
        else:
            groups[identity].append(record)
    chosen: dict[Identity, ReportRecord] = {}
    for identity, group in groups.items():
        # The subject is the latest current report; the others come from other documents (duplicate_report).
        candidates = [r for r in group if current is None or current(r)] or group
        chosen[identity] = max(candidates, key=lambda r: (r.first_seen or "", r.report_id or 0))
    for identity, primary in chosen.items():
        county, key, year = identity
        others = [r for r in groups[identity] if r is not primary and r.document != primary.document]
        # A later reading of the same document that did not become current: the store judged it degraded.
        degraded = [r for r in groups[identity] if r is not primary and r.document == primary.document
                    and (r.report_id or 0) > (primary.report_id or 0)]
        subject = Subject(primary, settings, as_of, previous=chosen.get((county, key, year - 1)), others=others,
                          degraded=degraded)
        result.findings += apply_rules(subject)
        result.chosen[identity] = replace(primary, report=_NO_REPORT, narrative=None)
    return result


def finish(done: BatchResult, *, settings: CheckSettings, as_of: date, watch: Iterable[WatchedAgency] = (),
           crawled: Mapping[str, date | None] | None = None, listed: Iterable[ListedAgency] = (),
           retired: Mapping[tuple[str, str], int] | None = None,
           open_missing_years: Iterable[int] = ()) -> Iterator[Finding]:
    """After every batch: the rules about reports without a county or year, then missing_report.

    The years judged for missing reports are the watched years and every year that still has an open missing_report
    finding: a report missing in 2024 stays missing in 2027 until it appears or its agency is retired."""
    for record in done.loose:
        yield from apply_rules(Subject(record, settings, as_of))
    years = sorted({*settings.watched_years(as_of), *open_missing_years})
    expectations = list(expected_reports(done.chosen.values(), watch, years, listed, window=settings.expected_years,
                                         retired=retired))
    yield from timeliness.missing_report(expectations, set(done.chosen), settings=settings, as_of=as_of,
                                         crawled=crawled, years=years)


def check_batches(batches: Iterable[Iterable[ReportRecord]], *, settings: CheckSettings, as_of: date,
                  watch: Iterable[WatchedAgency] = (), crawled: Mapping[str, date | None] | None = None,
                  current: Callable[[ReportRecord], bool] | None = None,
                  retired: Mapping[tuple[str, str], int] | None = None,
                  open_missing_years: Iterable[int] = ()) -> Iterator[Finding]:
    """check_all's findings, in its order, for records given in batches (e.g. one county each), so that only one
    batch of reports is in memory. A batch must hold every record of the counties it has."""
    done = BatchResult()
    for batch in batches:
        result = check_batch(batch, settings=settings, as_of=as_of, current=current)
        yield from result.findings
        result.findings = []
        done.extend(result)
    yield from finish(done, settings=settings, as_of=as_of, watch=watch, crawled=crawled, retired=retired,
                      open_missing_years=open_missing_years)


_NO_REPORT = ParsedReport(source="")


def expected_reports(records: Iterable[ReportRecord], watch: Iterable[WatchedAgency], years: Iterable[int],
                     listed: Iterable[ListedAgency] = (), *, window: int = 3,
                     retired: Mapping[tuple[str, str], int] | None = None) -> Iterator[Expectation]:
    """Who should publish for each year: the watch list, every agency the county portal lists (部门信息公开), and
    every agency that published in one of the `window` years before; not an agency retired (no longer existing)
    since that year or earlier (retired maps (county, agency key) → first year without a report, from
    `nianbao agencies retire` or the watch list)."""
    years = tuple(years)
    retired = dict(retired or {})
    watch = list(watch)
    for watched in watch:
        if watched.retired_since is not None:
            since = retired.get((watched.county, watched.agency_key))
            retired[(watched.county, watched.agency_key)] = min(watched.retired_since, since or watched.retired_since)

    def gone(county: str, key: str, year: int) -> bool:
        since = retired.get((county, key))
        return since is not None and year >= since

    for watched in watch:
        for year in years:
            if not gone(watched.county, watched.agency_key, year):
                yield Expectation(watched.county, watched.agency, watched.agency_key, year,
                                  agency_kind(watched.agency), "watch")
    for agency in listed:
        for year in years:
            if not gone(agency.county, agency_key(agency.name), year):
                yield Expectation(agency.county, agency.name, agency_key(agency.name), year,
                                  agency_kind(agency.name), "portal", agency.url)
    published: dict[tuple[str, str], dict[int, ReportRecord]] = defaultdict(dict)
    for record in records:
        identity = _identity(record)
        if identity is not None:
            published[identity[:2]][identity[2]] = record
    for year in years:
        for (county, key), by_year in published.items():
            if gone(county, key, year):
                continue
            recent = [y for y in by_year if year - window <= y < year]
            if not recent:
                continue
            last = by_year[max(recent)]
            yield Expectation(county, last.agency or key, key, year, last.kind, "history", last.url, max(recent))
