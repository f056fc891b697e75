"""An Excel workbook of the current reports: 报告 (facts, totals, provenance), one sheet per statistics section under
the template's two header rows (row label merged over its columns, then the column labels), 问题 (open findings)
and 说明 (what the file holds and where it came from). Frozen panes keep the headers and the agency in view."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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


def _header_cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _CENTERED
        cells.append(cell)
    return cells


def _identity_labels() -> list[str]:
    labels = {fact.name: fact.label for fact in ALL_FACTS}
    return [labels[name] for name in IDENTITY]


def _section_sheet(book: Workbook, section: str, keys: list[str], rows: Iterator[list[Any]],
                   positions: dict[str, int]) -> None:
    """Two header rows: the template's row label merged over its columns, then each column's label."""
    sheet = book.create_sheet(SECTION_NAMES[section])
    first = len(IDENTITY) + 1
    top: list[Any] = _identity_labels()
    second: list[Any] = [None] * len(IDENTITY)
    for index in range(1, first):
        sheet.merged_cells.add(f"{get_column_letter(index)}1:{get_column_letter(index)}2")
    column = first
    for row_label, group in groupby(keys, key=lambda key: _row_and_column(key)[0]):
        members = list(group)
        top += [row_label] + [None] * (len(members) - 1)
        second += [_row_and_column(key)[1] for key in members]
        if len(members) > 1:
            sheet.merged_cells.add(f"{get_column_letter(column)}1:{get_column_letter(column + len(members) - 1)}1")
        column += len(members)
    sheet.column_dimensions["B"].width = 30
    for index in range(first, column):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.freeze_panes = f"{get_column_letter(first)}3"
    sheet.row_dimensions[1].height = 60
    sheet.append(_header_cells(sheet, top))
    sheet.append(_header_cells(sheet, second))
    identity = [positions[name] for name in IDENTITY]
    cells = [positions[key] for key in keys]
    for row in rows:
        sheet.append([row[index] for index in identity] + [row[index] for index in cells])


def _table_sheet(book: Workbook, title: str, header: list[str], rows: Iterable[list[Any]],
                 frozen_columns: int) -> int:
    sheet = book.create_sheet(title)
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(label) + 2))
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    sheet.append(_header_cells(sheet, header))
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    return count


def write_xlsx(path: Path, store: Store, keys: list[str], year: int | None = None, county_code: str | None = None,
               *, exported_at: str, command: str) -> int:
    """Write the workbook to path, streaming (openpyxl write-only: the reports are read once per sheet, never held
    all in memory); the number of reports in it."""
    book = Workbook(write_only=True)
    names = [fact.name for fact in ALL_FACTS]
    positions = {name: index for index, name in enumerate(names)}
    positions.update({key: len(names) + index for index, key in enumerate(keys)})
    reports = _table_sheet(book, "报告", [fact.label for fact in ALL_FACTS],
                           (row[:len(names)] for row in report_rows(store, keys, year, county_code)), frozen_columns=3)
    for section in SECTION_NAMES:
        members = [key for key in keys if _section_of(key) == section]
        if members:
            _section_sheet(book, section, members, report_rows(store, keys, year, county_code), positions)
    findings = _table_sheet(book, "问题", FINDING_HEADERS["zh"], finding_rows(store, year, county_code),
                            frozen_columns=3)
    _about_sheet(book, store, reports, findings, year, county_code, exported_at, command)
    book.save(path)
    return reports


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
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    for name, value in lines:
        sheet.append([*_header_cells(sheet, [name]), value])
