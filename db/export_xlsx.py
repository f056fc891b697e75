"""An Excel workbook of the current reports: 报告 (facts, totals, provenance), one sheet per statistics section under
the template's two header rows (row label merged over its columns, then the column labels), 问题 (open findings)
and 说明 (what the file holds and where it came from). Frozen panes keep the headers and the agency in view."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db.export_rows import ALL_FACTS, FINDING_HEADERS, SECTION_NAMES, finding_rows, report_rows
from db.store import Store
from parsers.report import PARSER_VERSION
from parsers.schema import SECTIONS, key_info

# The columns that name a report on every section sheet.
IDENTITY = ("county_name", "agency", "year", "report_id")
_HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
_BOLD = Font(bold=True)
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _row_and_column(key: str) -> tuple[str, str]:
    info = key_info(key)
    if info is None:
        section, _, rest = key.partition(".")
        row, _, column = rest.rpartition(".")
        return row or key, column or key
    return info.row_label, info.column_label


def _section_of(key: str) -> str:
    section = key.partition(".")[0]
    return section if section in SECTIONS else "extra"


def _header_style(sheet: Worksheet, rows: int, columns: int) -> None:
    for line in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns):
        for cell in line:
            cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _CENTERED


def _identity_labels() -> list[str]:
    labels = {fact.name: fact.label for fact in ALL_FACTS}
    return [labels[name] for name in IDENTITY]


def _section_sheet(book: Workbook, section: str, keys: list[str], rows: list[dict[str, Any]]) -> None:
    """Two header rows: the template's row label merged over its columns, then each column's label."""
    sheet = book.create_sheet(SECTION_NAMES[section])
    first = len(IDENTITY) + 1
    for index, label in enumerate(_identity_labels(), start=1):
        sheet.cell(1, index, label)
        sheet.merge_cells(start_row=1, start_column=index, end_row=2, end_column=index)
    column = first
    for row_label, group in groupby(keys, key=lambda key: _row_and_column(key)[0]):
        members = list(group)
        sheet.cell(1, column, row_label)
        if len(members) > 1:
            sheet.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + len(members) - 1)
        for offset, key in enumerate(members):
            sheet.cell(2, column + offset, _row_and_column(key)[1])
        column += len(members)
    for line, row in enumerate(rows, start=3):
        for index, name in enumerate(IDENTITY, start=1):
            sheet.cell(line, index, row[name])
        for offset, key in enumerate(keys):
            value = row["cells"].get(key)
            if value is not None:
                sheet.cell(line, first + offset, value)
    _header_style(sheet, 2, column - 1)
    sheet.row_dimensions[1].height = 60
    sheet.column_dimensions["B"].width = 30
    for index in range(first, column):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.freeze_panes = sheet.cell(3, first)


def _table_sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], frozen_columns: int) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    _header_style(sheet, 1, len(header))
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(label) + 2))
    sheet.freeze_panes = sheet.cell(2, frozen_columns + 1)


def write_xlsx(path: Path, store: Store, keys: list[str], year: int | None = None, county_code: str | None = None,
               *, exported_at: str, command: str) -> int:
    """Write the workbook to path; the number of reports in it."""
    book = Workbook()
    book.remove(book.active)
    names = [fact.name for fact in ALL_FACTS]
    report_lines: list[list[Any]] = []
    by_report: list[dict[str, Any]] = []
    for row in report_rows(store, keys, year, county_code):
        facts = dict(zip(names, row[:len(names)], strict=True))
        report_lines.append(row[:len(names)])
        by_report.append({**facts, "cells": dict(zip(keys, row[len(names):], strict=True))})
    _table_sheet(book, "报告", [fact.label for fact in ALL_FACTS], report_lines, frozen_columns=3)
    for section in SECTION_NAMES:
        members = [key for key in keys if _section_of(key) == section]
        if members:
            _section_sheet(book, section, members, by_report)
    findings = list(finding_rows(store, year, county_code))
    _table_sheet(book, "问题", FINDING_HEADERS["zh"], findings, frozen_columns=3)
    _about_sheet(book, store, len(by_report), len(findings), year, county_code, exported_at, command)
    book.save(path)
    return len(by_report)


def _about_sheet(book: Workbook, store: Store, reports: int, findings: int, year: int | None,
                 county_code: str | None, exported_at: str, command: str) -> None:
    """Where the file came from: when, by which command, which parser versions and which crawls."""
    sheet = book.create_sheet("说明")
    parsers = [version for (version,) in store.db.execute(
        "SELECT DISTINCT parser_version FROM reports WHERE is_current = 1 ORDER BY 1").fetchall() if version]
    crawls = store.db.execute("SELECT count(*), min(started_at), max(started_at) FROM crawl_runs").fetchone()
    lines = [
        ("内容", "当前版本的政府信息公开工作年度报告：报告（基本情况、主要合计数、来源）、主动公开、申请情况、复议诉讼"
                 "（按国家模板的行列）、问题（未解决的检查结果）"),
        ("年度", year if year is not None else "全部"),
        ("区县", county_code or "全部"),
        ("报告数", reports),
        ("问题数", findings),
        ("导出时间（UTC）", exported_at),
        ("导出命令", command),
        ("解析器版本（报告中）", "、".join(parsers) or "无"),
        ("当前解析器版本", PARSER_VERSION),
        ("抓取批次", f"{crawls[0]} 次，{crawls[1]} 至 {crawls[2]}" if crawls[0]
         else "无（报告由 nianbao ingest 导入）"),
        ("单位", "件；金额为万元；空白表示报告中没有这一格"),
    ]
    for line in lines:
        sheet.append(list(line))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    for (cell,) in sheet.iter_rows(max_col=1):
        cell.font = _BOLD
