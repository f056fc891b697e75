"""Sums inside one report: balance, row_total, results_total, review_total, litigation_total.

A sum with a blank or unreadable cell is not checked (blank_cell / unreadable_value say so):
incomplete, never inconsistent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from operator import itemgetter
from typing import Any

from checks.labels import SUMMABLE, WHOLE_NUMBERS, column_label, numbers, row_label, same
from checks.labels import number_text as n
from checks.model import Finding, merged
from checks.subject import Subject
from parsers.report import ParsedReport
from parsers.schema import REQUEST_COLUMNS, RESULT_ROW_PREFIXES, REVIEW_COLUMNS, Row, rows_of
from parsers.values import Number

_Group = tuple  # (…labels, parts and total keys): the last element lists the keys to sum

APPLICANT_COLUMNS = [column.key for column in REQUEST_COLUMNS if column.key != "total"]
REQUEST_COLUMN_KEYS = [column.key for column in REQUEST_COLUMNS]
REVIEW_PARTS = [column.key for column in REVIEW_COLUMNS if column.key != "total"]


def _terms(keys: list[str], values: list[int | float], label: Callable[[str], str] = column_label) -> str:
    """自然人3+商业企业1 (zero terms left out; all zero gives 0)."""
    parts = [f"{label(key)}{n(value)}" for key, value in zip(keys, values, strict=True) if value]
    return "+".join(parts) if parts else "0"


def _sum_text(keys: list[str], values: list[int | float], total: int | float) -> str:
    """三（一）予以公开3+三（二）部分公开1=4, or 为0 when every result row is 0."""
    terms = _terms(keys, values, row_label)
    return "为0" if terms == "0" else f"{terms}={n(total)}"


class SumPlan:
    """Equalities of one rule (left cells' sum == right cells' sum), checked for a whole report at once: in the
    usual report every cell is a whole number and every sum holds, and the rule needs no per-sum Python work.
    Any other report (a blank, text or decimal cell, a sum that fails) goes through the rule's own loop."""

    def __init__(self, sides: list[tuple[list[str], list[str]]]) -> None:
        self.keys = list(dict.fromkeys(key for left, right in sides for key in (*left, *right)))
        index = {key: position for position, key in enumerate(self.keys)}
        self.left = [_getter([index[key] for key in left]) for left, _ in sides]
        self.right = [_getter([index[key] for key in right]) for _, right in sides]

    def all_hold(self, report: ParsedReport) -> bool:
        """Every equality holds with whole numbers in every cell (so the rule has nothing to report)."""
        found = list(map(report.values.get, self.keys))
        if not WHOLE_NUMBERS.issuperset(map(type, found)) or not SUMMABLE.issuperset(map(report.states.get, self.keys)):
            return False
        return [sum(get(found)) for get in self.left] == [sum(get(found)) for get in self.right]


def _getter(positions: list[int]) -> Callable[[list], Any]:
    """The cells at these positions, as something sum() takes (itemgetter of one position gives the item itself,
    so one position is read as a one-item slice)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    return itemgetter(slice(positions[0], positions[0] + 1))


def balance(subject: Subject) -> Iterator[Finding]:
    """received + carried_over == results_total + carried_forward, for every applicant column and 总计; one finding
    for all the columns where it fails (one defect: usually a wrong cell breaks its column and 总计 alike)."""
    report = subject.report
    if _all_sums_hold(subject):
        return
    parts: list[tuple[Finding, str]] = []
    for column in REQUEST_COLUMN_KEYS:
        keys = [f"requests.{row}.{column}" for row in ("received", "carried_over", "results_total", "carried_forward")]
        found = numbers(report, keys)
        if found is None:
            continue
        received, carried_over, results, carried_forward = found
        incoming, outgoing = received + carried_over, results + carried_forward
        if not same(incoming, outgoing):
            detail = (f"本年新收{n(received)}+上年结转{n(carried_over)}={n(incoming)}，"
                      f"而办理结果总计{n(results)}+结转下年度{n(carried_forward)}={n(outgoing)}")
            label = column_label(keys[0])
            parts.append((subject.finding(
                "balance", keys, incoming, outgoing,
                f"申请情况表“{label}”列收支不平衡（第一项加第二项之和应等于第三项加第四项之和）：{detail}"),
                f"“{label}”列{detail}"))
    if len(parts) == 1:
        yield parts[0][0]
    elif parts:
        labels = "".join(f"“{column_label(finding.keys[0])}”" for finding, _ in parts)
        yield merged([finding for finding, _ in parts],
                     f"申请情况表{labels}{len(parts)}列收支不平衡（第一项加第二项之和应等于第三项加第四项之和）："
                     + "；".join(detail for _, detail in parts))


def _mismatched_sums(report: ParsedReport, groups: list[_Group]) -> Iterator[tuple[_Group, list, Number, Number]]:
    """(group, parts, total, expected) for each group whose last key is not the sum of the others.

    A group's last element is its list of keys (parts then the total); groups with a blank cell are skipped.
    """
    for group in groups:
        found = numbers(report, group[-1])
        if found is None:
            continue
        *parts, total = found
        expected = sum(parts)
        if not same(expected, total):
            yield group, parts, total, expected


def row_total(subject: Subject) -> Iterator[Finding]:
    """For every requests row: 总计 == the six applicant columns."""
    if _all_sums_hold(subject):
        return
    for (row, part_keys, total_key, _), parts, total, expected in _mismatched_sums(
        subject.report, _row_total_keys(subject.report.template)
    ):
        yield subject.finding(
            "row_total", [total_key], expected, total,
            f"申请情况表“{row.label}”行“总计”列与各申请人列之和不符："
            f"{_terms(part_keys, parts)}≠总计{n(total)}",
        )


@cache
def _row_total_keys(template: str) -> list[tuple[Row, list[str], str, list[str]]]:
    """(row, applicant keys, total key, both) for every requests row of a template."""
    result = []
    for row in rows_of("requests", template):
        total_key = f"requests.{row.key}.total"
        part_keys = [f"requests.{row.key}.{column}" for column in APPLICANT_COLUMNS]
        result.append((row, part_keys, total_key, [*part_keys, total_key]))
    return result


def results_total(subject: Subject) -> Iterator[Finding]:
    """For every column: 三（七）总计 == the sum of every result row （一）…（六）."""
    report = subject.report
    if report.template not in ("2019", "2021"):
        return  # which rows are results depends on the template (unknown_template says so)
    if _all_sums_hold(subject):
        return
    for (part_keys, total_key, _), parts, total, expected in _mismatched_sums(
        report, _results_keys(report.template)
    ):
        yield subject.finding(
            "results_total", [total_key], expected, total,
            f"申请情况表“{column_label(total_key)}”列：三（一）至（六）各项办理结果之和"
            f"{_sum_text(part_keys, parts, expected)}，与“三（七）总计”{n(total)}不符",
        )


@cache
def _results_keys(template: str) -> list[tuple[list[str], str, list[str]]]:
    """(result row keys, 三（七）总计 key, both) for every column of the requests table of a template."""
    result_rows = [row.key for row in rows_of("requests", template) if row.key.startswith(RESULT_ROW_PREFIXES)]
    result = []
    for column in REQUEST_COLUMN_KEYS:
        total_key = f"requests.results_total.{column}"
        part_keys = [f"requests.{row}.{column}" for row in result_rows]
        result.append((part_keys, total_key, [*part_keys, total_key]))
    return result


def _review_row(subject: Subject, rule: str, row: str, name: str) -> Iterator[Finding]:
    if _all_sums_hold(subject):
        return
    total_key = f"reviews.{row}.total"
    part_keys = [f"reviews.{row}.{column}" for column in REVIEW_PARTS]
    found = numbers(subject.report, [*part_keys, total_key])
    if found is None:
        return
    *parts, total = found
    expected = sum(parts)
    if not same(expected, total):
        yield subject.finding(
            rule, [total_key], expected, total,
            f"复议诉讼情况表“{name}”的总计与各项之和不符："
            f"{_terms(part_keys, parts)}≠总计{n(total)}",
        )


def review_total(subject: Subject) -> Iterator[Finding]:
    """行政复议: 总计 == 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    yield from _review_row(subject, "review_total", "review", "行政复议")


def litigation_total(subject: Subject) -> Iterator[Finding]:
    """The same sum for 行政诉讼 未经复议直接起诉 and 复议后起诉."""
    yield from _review_row(subject, "litigation_total", "litigation_direct", "行政诉讼·未经复议直接起诉")
    yield from _review_row(subject, "litigation_total", "litigation_after_review", "行政诉讼·复议后起诉")



def _all_sums_hold(subject: Subject) -> bool:
    """Whether every sum of the five rules holds in whole numbers (checked once per report; then no sum rule has
    anything to say, and none runs its own loop)."""
    held = subject.memo.get("sums_hold")
    if held is None:
        held = subject.memo["sums_hold"] = _every_sum(subject.report.template).all_hold(subject.report)
    return held


@cache
def _every_sum(template: str) -> SumPlan:
    """The equalities of balance, row_total, results_total, review_total and litigation_total for a template."""
    sides = [
        ([f"requests.received.{column}", f"requests.carried_over.{column}"],
         [f"requests.results_total.{column}", f"requests.carried_forward.{column}"])
        for column in REQUEST_COLUMN_KEYS]
    groups = _row_total_keys(template) + (_results_keys(template) if template in ("2019", "2021") else [])
    sides += [(keys[:-1], keys[-1:]) for *_, keys in groups]
    sides += [([f"reviews.{row}.{column}" for column in REVIEW_PARTS], [f"reviews.{row}.total"])
              for row in ("review", "litigation_direct", "litigation_after_review")]
    return SumPlan(sides)
