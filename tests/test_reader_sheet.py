"""Spreadsheet readers: each sheet a table, merged cells expanded, numbers shown as a person sees them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import xlwt
from openpyxl.styles import Font

from parsers import Limits, read_document
from parsers.errors import CorruptDocument
from parsers.grid import Document, Table
from parsers.readers.sheet import display_text, read_xls, read_xlsx

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def xlsx_report() -> bytes:
    """清源县民政局 2021: tables 二/三/四 stacked in one sheet, merged headers, some counts stored as 3.0."""
    return (GOLDEN / "xlsx_2021_tables" / "input.xlsx").read_bytes()


@pytest.fixture
def xls_report(tmp_path: Path) -> bytes:
    """A small BIFF .xls: merged title row, a merged 2 × 1 label, integer and float numbers, a blank sheet."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表三")
    sheet.write_merge(0, 0, 0, 3, "清源县民政局2021年政府信息公开工作年度报告")
    sheet.write_merge(1, 2, 0, 0, "三、本年度办理结果")
    sheet.write(1, 1, "（一）予以公开")
    sheet.write(1, 2, 3.0)
    sheet.write(1, 3, 3)
    sheet.write(2, 1, "（二）部分公开")
    sheet.write(2, 2, 0.35)
    sheet.write(2, 3, "/")
    book.add_sheet("空白")
    path = tmp_path / "report.xls"
    book.save(str(path))
    return path.read_bytes()


def _texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def _read_xlsx(data: bytes) -> Document:
    return read_xlsx(data, "report.xlsx", Limits())


def test_display_text_shows_numbers_as_in_the_sheet() -> None:
    assert [display_text(v) for v in (3.0, 3, 0.35, 2792220.8, 1e20, None, True)] == [
        "3", "3", "0.35", "2792220.8", "100000000000000000000", "", "TRUE"
    ]
    assert display_text(0.5, "0%") == "50%"
    assert display_text(dt.datetime(2024, 1, 24)) == "2024-01-24"


def test_read_xlsx_sheet_becomes_one_full_table(xlsx_report: bytes) -> None:
    document = _read_xlsx(xlsx_report)
    assert len(document.blocks) == 1
    table = document.blocks[0]
    assert isinstance(table, Table) and {len(row) for row in table.rows} == {15}
    title = table.rows[0]
    assert title[0].text == "清源县民政局2021年政府信息公开工作年度报告" and title[0].origin
    assert all(c.text == title[0].text and not c.origin and c.from_left for c in title[1:])


def test_read_xlsx_float_counts_read_as_integers(xlsx_report: bytes) -> None:
    table = _read_xlsx(xlsx_report).blocks[0]
    normative = next(row for row in table.rows if row[0].text == "行政规范性文件")
    assert [c.text for c in normative[:4]] == ["行政规范性文件", "0", "0", "3"]
    fees = next(row for row in table.rows if row[0].text == "行政事业性收费")
    assert [c.text for c in fees[:4]] == ["行政事业性收费", "12.5", "12.5", "12.5"]
    assert [c.origin for c in fees[1:4]] == [True, False, False]


def test_read_xlsx_merged_row_labels_repeat_downwards(xlsx_report: bytes) -> None:
    table = _read_xlsx(xlsx_report).blocks[0]
    results = [row for row in table.rows if row[0].text == "三、本年度办理结果"]
    assert len(results) == 22
    assert [row[0].origin for row in results] == [True] + [False] * 21
    denied = [row for row in results if row[1].text == "（三）不予公开"]
    assert [row[2].text for row in denied][:2] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    assert [row[1].origin for row in denied] == [True] + [False] * 7


def test_read_xls_merged_cells_and_numbers(xls_report: bytes) -> None:
    document = read_xls(xls_report, "report.xls", Limits())
    assert len(document.blocks) == 1  # the blank sheet gives no table
    table = document.blocks[0]
    assert _texts(table) == [
        ["清源县民政局2021年政府信息公开工作年度报告"] * 4,
        ["三、本年度办理结果", "（一）予以公开", "3", "3"],
        ["三、本年度办理结果", "（二）部分公开", "0.35", "/"],
    ]
    assert [c.origin for c in table.rows[0]] == [True, False, False, False]
    assert (table.rows[2][0].origin, table.rows[2][0].from_left) == (False, False)


def test_read_xls_is_chosen_by_read_document(xls_report: bytes) -> None:
    document = read_document(xls_report, "http://example.gov.cn/P020220120.xls")
    assert _texts(document.blocks[0])[1][2] == "3"


def test_read_xlsx_not_a_zip_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match=r"report\.xlsx: 不是有效的 XLSX 文件：压缩包已损坏"):
        _read_xlsx(b"<html>an error page saved as .xlsx</html>")


def test_read_xls_broken_file_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match=r"report\.xls: XLS 文件已损坏"):
        read_xls(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "report.xls", Limits())


def test_read_xlsx_styled_empty_cells_do_not_widen_the_table() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "规章", 3
    for row in range(1, 100_000, 97):
        sheet.cell(row, 150).font = Font(bold=True)  # formatting reaching far down and right
    buffer = io.BytesIO()
    workbook.save(buffer)
    document = _read_xlsx(buffer.getvalue())
    assert [_texts(table) for table in document.blocks] == [[["规章", "3"]]]
