"""Across reports: carry_over_mismatch, in_force_rollover, copied_report, duplicate_report."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from checks.labels import SUMMABLE, WHOLE_NUMBERS, cell_label, numbers, row_label, same
from checks.labels import number_text as n
from checks.model import Finding, merged
from checks.subject import ReportRecord, Subject
from parsers.report import ParsedReport, read_cell_count
from parsers.schema import REQUEST_COLUMNS, template_keys

DIFF_LIST_LIMIT = 5
_CARRIED_OVER = [f"requests.carried_over.{column.key}" for column in REQUEST_COLUMNS]
_CARRIED_FORWARD = [f"requests.carried_forward.{column.key}" for column in REQUEST_COLUMNS]
def carry_over_mismatch(subject: Subject) -> Iterator[Finding]:
    """This year's 上年结转 differs from the previous-year report's 结转下年度继续办理."""
    previous = subject.previous
    if previous is None:
        return
    carried = list(map(subject.report.values.get, _CARRIED_OVER))
    if (carried == list(map(previous.report.values.get, _CARRIED_FORWARD))
            and WHOLE_NUMBERS.issuperset(map(type, carried))
            and SUMMABLE.issuperset(map(subject.report.states.get, _CARRIED_OVER))
            and SUMMABLE.issuperset(map(previous.report.states.get, _CARRIED_FORWARD))):
        return  # the usual pair of reports: every column carried over as it was carried forward
    parts: list[Finding] = []
    terms: list[str] = []
    for column in REQUEST_COLUMNS:
        key = f"requests.carried_over.{column.key}"
        before_key = f"requests.carried_forward.{column.key}"
        now, before = numbers(subject.report, [key]), numbers(previous.report, [before_key])
        if now is None or before is None or same(now[0], before[0]):
            continue
        parts.append(subject.finding(
            "carry_over_mismatch", [key], before[0], now[0],
            f"“上年结转”{column.label}{n(now[0])}件，与{previous.year}年度报告"
            f"“结转下年度继续办理”的{n(before[0])}件不符（{previous.url or ''}）",
        ))
        terms.append(f"{column.label}{n(now[0])}件（上年报告为{n(before[0])}件）")
    if len(parts) == 1:
        yield parts[0]
    elif parts:
        # One defect (the carry-over copied wrong), however many columns it touches.
        yield merged(parts, f"“上年结转”与{previous.year}年度报告“结转下年度继续办理”不符：{'、'.join(terms)}"
                            f"（{previous.url or ''}）")


def in_force_rollover(subject: Subject) -> Iterator[Finding]:
    """Template 2021: in_force(N) == in_force(N-1) + issued(N) - repealed(N)."""
    previous = subject.previous
    if previous is None or subject.report.template != "2021" or previous.report.template != "2021":
        return
    for row in ("regulations", "normative_documents"):
        now = numbers(subject.report, [f"active.{row}.{c}" for c in ("in_force", "issued", "repealed")])
        before = numbers(previous.report, [f"active.{row}.in_force"])
        if now is None or before is None:
            continue
        in_force, issued, repealed = now
        expected = before[0] + issued - repealed
        if not same(expected, in_force):
            key = f"active.{row}.in_force"
            yield subject.finding(
                "in_force_rollover", [key], expected, in_force,
                f"“{row_label(key)}”现行有效件数{n(in_force)}，按上年{n(before[0])}+本年制发{n(issued)}"
                f"−本年废止{n(repealed)}应为{n(expected)}（如有修订、清理可忽略）",
            )


def narrative(report: ParsedReport, year: int | None) -> str:
    """The report's running text without tables, whitespace, or the years it names (a copy changes those)."""
    lines = [line for line in report.text.splitlines() if "\t" not in line]
    text = "".join("".join(lines).split())  # str.split() and re's \s know the same whitespace
    if year is not None:
        for shift in (-1, 0, 1):
            text = text.replace(str(year + shift), f"<Y{shift:+d}>")
    return text


def _same_values(report: ParsedReport, previous: ParsedReport) -> int:
    """How many template cells have a value when both reports have the same value (None: blank) in every
    template cell and one is not zero; else 0. Lists compared in C: this runs for every report with a predecessor."""
    keys = _keys_of(report.template)
    mine = list(map(report.values.get, keys))
    if not any(mine) or mine != list(map(previous.values.get, keys)):
        return 0
    return len(mine) - mine.count(None)


def narrative_of(record: ReportRecord) -> str:
    """A record's narrative, computed once (a report is the subject once and the previous year's once)."""
    if record.narrative is None:
        record.narrative = narrative(record.report, record.year)
    return record.narrative


@cache
def _keys_of(template: str) -> list[str]:
    return list(template_keys(template))


def copied_report(subject: Subject) -> Iterator[Finding]:
    """The narrative, or every value, is identical to the same agency's previous-year report."""
    previous = subject.previous
    if previous is None:
        return
    text = narrative_of(subject.record)
    if len(text) >= subject.settings.copied_min_chars and text == narrative_of(previous):
        yield subject.finding(
            "copied_report", ["text"], None, previous.url,
            f"报告正文与{previous.year}年度报告一字不差（只改了年份），内容雷同（{previous.url or ''}）",
        )
    # All-zero tables repeat legitimately in agencies that receive no requests.
    copied = _same_values(subject.report, previous.report) if subject.report.template == previous.report.template else 0
    if copied:
        yield subject.finding(
            "copied_report", ["values"], None, previous.url,
            f"统计表的{copied}个数值与{previous.year}年度报告完全相同，数据可能照抄上年（{previous.url or ''}）",
        )


def duplicate_report(subject: Subject) -> Iterator[Finding]:
    """Another document claims the same agency and year with different values."""
    mine = subject.report.values
    for other in subject.others:
        theirs = other.report.values
        differing = sorted(
            key for key in set(mine) | set(theirs)
            if (a := mine.get(key)) is not None and (b := theirs.get(key)) is not None and not same(a, b)
        )
        if not differing:
            continue
        shown = "；".join(
            f"{cell_label(key)}：{n(theirs[key])}与{n(mine[key])}"
            for key in differing[:DIFF_LIST_LIMIT]
        )
        more = f"等{len(differing)}处" if len(differing) > DIFF_LIST_LIMIT else ""
        yield subject.finding(
            "duplicate_report", differing, other.url, subject.record.url,
            f"同一单位同一年度有两份数据不同的报告：{other.url or '?'} 与 {subject.record.url or '?'}，"
            f"{shown}{more}，请确认哪一份为准",
        )


_OUTLINE = "一二三四五六"


def report_degraded(subject: Subject) -> Iterator[Finding]:
    """The portal now serves less of this report (truncated, a table gone): the complete reading stays current."""
    mine = read_cell_count(subject.report.states)
    for later in subject.degraded:
        theirs = read_cell_count(later.report.states)
        sections = "、".join(sorted(set(subject.report.sections) - set(later.report.sections), key=_OUTLINE.find))
        lost = f"，缺少第{sections}部分" if sections else ""
        yield subject.finding(
            "report_degraded", ["values"], mine, theirs,
            f"网站上的这份报告（{later.first_seen[:10] if later.first_seen else ''}抓取）只读到{theirs}个数值，"
            f"少于此前完整版本的{mine}个{lost}，可能被截断或删改；系统仍采用完整版本，请核对网站上的原文",
        )
