"""Single cells: negative_value, unreadable_value, blank_cell, unit_suspect, implausible_value."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from checks.labels import cell_label
from checks.labels import number_text as n
from checks.model import Finding
from checks.subject import Subject
from parsers.schema import key_info, template_keys

# A 万元 amount above this is almost surely yuan written into a 万元 cell (100 亿元 for a county).
UNIT_SUSPECT_WAN = 1_000_000
BLANK_LIST_LIMIT = 8


@cache
def _money_keys() -> frozenset[str]:
    """Keys whose key_info is a 万元 amount (2021 labels first, as key_info reads them)."""
    keys = [*template_keys("2021"), *template_keys("2019")]
    return frozenset(key for key in keys if (info := key_info(key)) is not None and info.money)


def negative_value(subject: Subject) -> Iterator[Finding]:
    """A count below zero; only 本年增/减 (active.*.change) may be negative."""
    report = subject.report
    if min(filter(None, report.values.values()), default=0) >= 0:  # the usual report, without a loop in Python
        return
    for key, value in report.values.items():
        if value is None or value >= 0:
            continue
        info = key_info(key)
        if info is not None and info.signed:
            continue
        yield subject.finding(
            "negative_value", [key], 0, value,
            f"{cell_label(key)}为负数{n(value)}（原文“{report.raw.get(key, '')}”），件数和金额不能小于零",
        )


def unreadable_value(subject: Subject) -> Iterator[Finding]:
    """A cell whose text is not a number."""
    report = subject.report
    if "text" not in report.states.values():
        return
    for key, state in report.states.items():
        if state == "text":
            raw = report.raw.get(key, "")
            yield subject.finding(
                "unreadable_value", [key], None, raw,
                f"{cell_label(key)}填写的“{raw}”不是数字，相关合计无法核对",
            )


def blank_cell(subject: Subject) -> Iterator[Finding]:
    """Template cells left empty: one finding per report listing them (sums needing them are not checked)."""
    report = subject.report
    if "blank" not in report.states.values():  # the usual report, found without a loop in Python
        return
    template = template_keys(report.template)
    blanks = [key for key in template if report.states.get(key) == "blank"]
    blanks += sorted(key for key, state in report.states.items() if state == "blank" and key not in template)
    if not blanks:
        return
    shown = "；".join(cell_label(key) for key in blanks[:BLANK_LIST_LIMIT])
    more = f"等共{len(blanks)}个单元格" if len(blanks) > BLANK_LIST_LIMIT else ""
    yield subject.finding(
        "blank_cell", blanks, None, len(blanks),
        f"有{len(blanks)}个单元格空白未填写（应填数字，没有的填0）：{shown}{more}。"
        "用到这些单元格的合计无法核对",
    )


def unit_suspect(subject: Subject) -> Iterator[Finding]:
    """A 万元 amount above 1,000,000: probably yuan written into a 万元 cell."""
    report = subject.report
    money = _money_keys()
    if max(filter(None, map(report.values.get, money)), default=0) <= UNIT_SUSPECT_WAN:
        return
    for key, value in report.values.items():
        if key not in money or value is None or value <= UNIT_SUSPECT_WAN:
            continue
        yield subject.finding(
            "unit_suspect", [key], UNIT_SUSPECT_WAN, value,
            f"{cell_label(key)}为{n(value)}万元（原文“{report.raw.get(key, '')}”），"
            "金额过大，可能把“元”填进了“万元”单元格",
        )


def implausible_value(subject: Subject) -> Iterator[Finding]:
    """A count above [checks] implausible_count (default 1,000,000): a typo, or two cells run together."""
    report = subject.report
    bound = subject.settings.implausible_count
    if max(filter(None, report.values.values()), default=0) <= bound:
        return
    money = _money_keys()
    for key, value in report.values.items():
        if key in money or value is None or value <= bound:
            continue
        yield subject.finding(
            "implausible_value", [key], bound, value,
            f"{cell_label(key)}为{n(value)}（原文“{report.raw.get(key, '')}”），超过{n(bound)}，"
            "大得不合常理，请核对是否多写了数字或把两个单元格连在了一起",
        )
