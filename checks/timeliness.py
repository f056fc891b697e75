"""Timeliness (条例第四十九条): late and missing_report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from checks.model import SEVERITY, Finding
from checks.subject import CheckSettings, Subject, days_after, parse_day


def chinese_date(day: date) -> str:
    """2024-01-31 → 2024年1月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def late(subject: Subject) -> Iterator[Finding]:
    """Published (date on the report, else the page's date) after its deadline (plus grace days)."""
    record, settings = subject.record, subject.settings
    year = record.year or subject.report.year
    if year is None:
        yield subject.finding("late", [], None, None, "未能识别报告年度，无法判断是否按时公开", severity="info")
        return
    deadline = settings.deadline(year, record.kind)
    if deadline is None:
        return  # no deadline configured for this kind of agency (e.g. townships): nothing to judge
    first_seen = parse_day(record.first_seen)
    # A report first seen after the day judged (a check --as-of an earlier day) has no place in that day's story.
    seen_note = (f"；系统首次发现于{chinese_date(first_seen)}" if first_seen and first_seen <= subject.as_of
                 else "")
    claimed = parse_day(record.published_on or subject.report.published_on)
    source = "报告落款日期"
    if claimed is None:
        claimed, source = parse_day(record.page_date), "网页发布日期"
    if claimed is None:
        if first_seen is not None and first_seen <= days_after(deadline, settings.grace_days):
            return  # online before the deadline: on time whatever its date says
        yield subject.finding(
            "late", [], deadline.isoformat(), None,
            f"报告和网页都没有发布日期{seen_note}，无法判断是否在{chinese_date(deadline)}前按时公开",
            severity="info",
        )
        return
    if claimed > days_after(deadline, settings.grace_days):
        days = (claimed - deadline).days
        yield subject.finding(
            "late", [], deadline.isoformat(), claimed.isoformat(),
            f"{year}年度报告应于{chinese_date(deadline)}前公开，{source}为{chinese_date(claimed)}，"
            f"逾期{days}天{seen_note}",
        )


@dataclass(frozen=True)
class Expectation:
    """An agency that should publish a report for `year`, and why."""

    county: str
    agency: str
    agency_key: str
    year: int
    kind: str = "department"
    reason: str = "history"  # history (published in one of the years before), watch (watch list), portal (listed)
    url: str | None = None  # the previous report, or the county portal
    last_year: int | None = None  # history: the latest year it published


def missing_report(expectations: Iterable[Expectation], present: set[tuple[str, str, int]], *,
                   settings: CheckSettings, as_of: date,
                   crawled: Mapping[str, date | None] | None = None,
                   years: Iterable[int] | None = None) -> Iterator[Finding]:
    """Expected agencies with no report for a judged year (default: the watched years) after its deadline and one
    grace crawl."""
    crawled = crawled or {}
    years = set(settings.watched_years(as_of) if years is None else years)
    seen: set[tuple[str, str, int]] = set()
    for expected in expectations:
        identity = (expected.county, expected.agency_key, expected.year)
        if expected.year not in years or identity in present or identity in seen:
            continue
        seen.add(identity)
        deadline = settings.deadline(expected.year, expected.kind)
        if deadline is None:
            continue
        due = days_after(deadline, settings.missing_grace_days)
        if as_of <= due:
            continue
        last_crawl = crawled.get(expected.county)
        if expected.county in crawled and (last_crawl is None or last_crawl <= due):
            continue  # wait for one crawl of this county after the grace period
        why = {"history": f"该单位发布过{expected.last_year or expected.year - 1}年度报告",
               "portal": "该单位列于门户网站的部门信息公开目录"}.get(expected.reason, "该单位在关注名单中")
        yield Finding(
            rule="missing_report", severity=SEVERITY["missing_report"], county=expected.county,
            agency=expected.agency, year=expected.year, keys=[], expected=deadline.isoformat(), found=None,
            message=(f"未找到{expected.agency}{expected.year}年度政府信息公开工作年度报告，"
                     f"应于{chinese_date(deadline)}前公开（{why}）"),
            url=expected.url, agency_key=expected.agency_key,
        )
