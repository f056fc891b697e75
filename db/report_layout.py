"""The three statistics tables of a report laid out as the national template prints them: header rows with merged
cells, row labels in their nested columns, one value cell per template cell (labels from parsers/schema.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parsers.schema import REVIEW_COLUMNS, SECTIONS, Row, rows_of

# The group rows of the requests table that the schema's labels name only by their number.
_RESULT_GROUPS = {number: number + name for number, name in
                  (("（三）", "不予公开"), ("（四）", "无法提供"), ("（五）", "不予处理"), ("（六）", "其他处理"))}
_RESULTS_HEADING = "三、本年度办理结果"
_NESTED = re.compile(r"^三(（.）)(\d+\..+)$")
_DIRECT = re.compile(r"^三(（.）.+)$")


@dataclass
class Label:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Cell:
    """One value of the table as printed: its key, what to show, and the findings that name it."""

    key: str
    shown: str
    state: str | None
    money: bool = False
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "；".join(str(finding["message"]) for finding in self.findings)


@dataclass
class Line:
    labels: list[Label]
    cells: list[Cell]
    header: bool = False  # a header line: every entry is a Label


@dataclass
class Table:
    section: str
    heading: str
    lines: list[Line]


def template_of(template: str | None, year: int | None) -> str:
    """The national template a report is laid out in: its own, else the one in force for its year."""
    if template in ("2019", "2021"):
        return template
    return "2019" if year is not None and year < 2021 else "2021"


def shown_value(cell: dict[str, Any] | None) -> tuple[str, str | None]:
    """What the report printed in a cell: blanks stay blank, 无 and / stay as written, numbers as numbers."""
    if cell is None:
        return "", None
    state, raw, number = cell.get("state"), cell.get("raw"), cell.get("number")
    if state == "blank":
        return "", state
    if state in ("none", "text"):
        return (raw if raw is not None else "无"), state
    if number is None:
        return (raw or ""), state
    if isinstance(number, float) and number.is_integer() and not cell.get("unit"):
        number = int(number)
    return f"{number}", state


def _cell(key: str, money: bool, cells: dict[str, dict[str, Any]], findings: dict[str, list[dict[str, Any]]]) -> Cell:
    shown, state = shown_value(cells.get(key))
    return Cell(key, shown, state, money, findings.get(key, []))


def _active(template: str, cells: dict[str, dict[str, Any]], findings: dict[str, list[dict[str, Any]]]) -> Table:
    """Section 二: one block per group of rows that share their columns, each under its own header line."""
    lines: list[Line] = []
    previous: tuple[str, ...] = ()
    for row in rows_of("active", template):
        columns = tuple(column.label for column in row.columns)
        if columns != previous:
            lines.append(Line([Label("信息内容"), *(Label(text) for text in columns)], [], header=True))
            previous = columns
        lines.append(Line([Label(row.label)],
                          [_cell(f"active.{row.key}.{column.key}", column.money, cells, findings)
                           for column in row.columns]))
    return Table("active", SECTIONS["active"], lines)


def _request_labels(rows: tuple[Row, ...]) -> list[list[Label]]:
    """The three label columns of each request row, with the row spans of 三、 and its lettered groups."""
    results = [row for row in rows if row.label.startswith("三")]
    group_sizes: dict[str, int] = {}
    for row in results:
        nested = _NESTED.match(row.label)
        if nested:
            group_sizes[nested.group(1)] = group_sizes.get(nested.group(1), 0) + 1
    labels: list[list[Label]] = []
    first_result, seen_groups = True, set()
    for row in rows:
        line: list[Label] = []
        nested, direct = _NESTED.match(row.label), _DIRECT.match(row.label)
        if nested or direct:
            if first_result:
                line.append(Label(_RESULTS_HEADING, rowspan=len(results)))
                first_result = False
            if nested:
                group = nested.group(1)
                if group not in seen_groups:
                    line.append(Label(_RESULT_GROUPS.get(group, group), rowspan=group_sizes[group]))
                    seen_groups.add(group)
                line.append(Label(nested.group(2)))
            else:
                line.append(Label(direct.group(1) if direct else row.label, colspan=2))
        else:
            line.append(Label(row.label, colspan=3))
        labels.append(line)
    return labels


def _requests(template: str, cells: dict[str, dict[str, Any]], findings: dict[str, list[dict[str, Any]]]) -> Table:
    """Section 三: 申请人情况 over 自然人, 法人或其他组织 (five kinds) and 总计, as in the template's header."""
    rows = rows_of("requests", template)
    header = [
        Line([Label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
              Label("申请人情况", colspan=7)], [], header=True),
        Line([Label("自然人", rowspan=2), Label("法人或其他组织", colspan=5), Label("总计", rowspan=2)], [],
             header=True),
        Line([Label(text) for text in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")], [],
             header=True),
    ]
    body = [Line(labels, [_cell(f"requests.{row.key}.{column.key}", column.money, cells, findings)
                          for column in row.columns])
            for row, labels in zip(rows, _request_labels(rows), strict=True)]
    return Table("requests", SECTIONS["requests"], header + body)


def _reviews(cells: dict[str, dict[str, Any]], findings: dict[str, list[dict[str, Any]]]) -> Table:
    """Section 四: one line of fifteen numbers under 行政复议 and 行政诉讼 (直接起诉, 复议后起诉)."""
    width = len(REVIEW_COLUMNS)
    header = [
        Line([Label("行政复议", rowspan=2, colspan=width), Label("行政诉讼", colspan=2 * width)], [], header=True),
        Line([Label("未经复议直接起诉", colspan=width), Label("复议后起诉", colspan=width)], [], header=True),
        Line([Label(column.label) for _ in range(3) for column in REVIEW_COLUMNS], [], header=True),
    ]
    values = [_cell(f"reviews.{row.key}.{column.key}", column.money, cells, findings)
              for row in rows_of("reviews", "2021") for column in row.columns]
    return Table("reviews", SECTIONS["reviews"], [*header, Line([], values)])


def report_tables(template: str, cells: dict[str, dict[str, Any]],
                  findings: dict[str, list[dict[str, Any]]]) -> list[Table]:
    """The three tables of one report. cells: key → {number, state, raw, unit}; findings: key → findings naming it."""
    return [_active(template, cells, findings), _requests(template, cells, findings), _reviews(cells, findings)]


def extra_keys(template: str, cells: dict[str, dict[str, Any]]) -> list[str]:
    """Keys the report has outside its template's tables (extra.* rows, the other template's rows), in order."""
    laid_out = {f"{section}.{row.key}.{column.key}" for section in SECTIONS
                for row in rows_of(section, template) for column in row.columns}
    return [key for key in cells if key not in laid_out]
