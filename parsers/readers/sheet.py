"""Spreadsheet reports (.xlsx with openpyxl, .xls with xlrd): each sheet one table, merged cells expanded."""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
import zipfile
from decimal import Decimal
from io import BytesIO
from typing import Any

import openpyxl
import xlrd

from parsers.errors import CorruptDocument
from parsers.grid import Cell, Document, Table
from parsers.readers.archive import open_zip

logger = logging.getLogger(__name__)

# A report sheet has ~40 rows and ~12 columns; styled-but-empty sheets claim a million rows.
MAX_ROWS = 5000
MAX_COLUMNS = 200

# (first row, last row, first column, last column), 0-based and inclusive.
Merge = tuple[int, int, int, int]


def display_text(value: Any, number_format: str = "General") -> str:
    """A cell value as a person sees it in the sheet: 3 not 3.0, 0.35, 50%, 2024-01-24."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return _number_text(value * 100) + "%"
        return _number_text(value)
    return str(value)


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(round(value, 10))
    return format(Decimal(text), "f") if "e" in text or "E" in text else text


def _table(values: list[list[str]], merges: list[Merge]) -> Table | None:
    """Rows of text with merged areas repeated (copies origin=False); trailing empty rows/columns dropped."""
    height = max((r + 1 for r, row in enumerate(values) if any(text.strip() for text in row)), default=0)
    if height == 0:
        return None
    width = max(len(row) for row in values[:height])
    width = max((c + 1 for row in values[:height] for c, text in enumerate(row) if text.strip()), default=width)
    rows = [[Cell(row[c] if c < len(row) else "") for c in range(width)] for row in values[:height]]
    budget = 2 * height * width  # merged ranges of a real sheet do not overlap: each cell is covered once
    for first_row, last_row, first_col, last_col in merges:
        if first_row >= height or first_col >= width:
            continue
        budget -= (min(last_row, height - 1) - first_row + 1) * (min(last_col, width - 1) - first_col + 1)
        if budget < 0:
            raise ValueError("合并单元格的范围远超出表格")
        text = rows[first_row][first_col].text
        for r in range(first_row, min(last_row, height - 1) + 1):
            for c in range(first_col, min(last_col, width - 1) + 1):
                if (r, c) != (first_row, first_col):
                    rows[r][c] = Cell(text, origin=False, from_left=c > first_col)
    return Table(rows)


def read_xlsx(data: bytes, source: str, limits: Any) -> Document:
    """Read an .xlsx workbook: every non-empty sheet becomes one table.

    openpyxl opens it read-only (streaming): in its normal mode it makes one object per cell of every merged
    range, so a few bytes of `<mergeCell ref="A1:XFD1048576"/>` took minutes and gigabytes. Merged ranges
    are read from the sheet XML here instead, clipped to the cells that are read.
    """
    archive = open_zip(data, source, "XLSX", limits.max_unzipped_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions and styles
            workbook = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=True)
    except Exception as error:  # openpyxl raises anything from KeyError to XML errors on broken files
        archive.close()
        raise CorruptDocument(source, "XLSX 文件已损坏，无法读取（或内容与扩展名不符）") from error
    document = Document([])
    try:
        for sheet in workbook.worksheets:
            values, truncated = _sheet_values(sheet)
            if truncated:
                document.warnings.append(f"工作表 {sheet.title}：只读取了前 {MAX_ROWS} 行、{MAX_COLUMNS} 列")
            merges = _merged_ranges(archive, getattr(sheet, "_worksheet_path", ""), source)
            table = _table(values, merges)
            if table is not None:
                document.blocks.append(table)
    except CorruptDocument:
        raise
    except Exception as error:  # broken sheet XML met while streaming
        raise CorruptDocument(source, "XLSX 文件已损坏，无法读取（或内容与扩展名不符）") from error
    finally:
        workbook.close()
        archive.close()
    return document


def _sheet_values(sheet: Any) -> tuple[list[list[str]], bool]:
    """The sheet's text, row by row, within MAX_ROWS × MAX_COLUMNS; and whether values lie beyond."""
    values: list[list[str]] = []
    truncated = False
    for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1):
        texts = [display_text(cell.value, getattr(cell, "number_format", "General")) for cell in row]
        beyond = texts if len(values) == MAX_ROWS else texts[MAX_COLUMNS:]
        truncated = truncated or any(text.strip() for text in beyond)
        if len(values) < MAX_ROWS:
            values.append(texts[:MAX_COLUMNS])
    return values, truncated


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
MAX_MERGES = 10_000  # a report sheet has a few dozen


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _merged_ranges(archive: zipfile.ZipFile, path: str, source: str) -> list[Merge]:
    """Merged ranges of one sheet from its XML, clipped to MAX_ROWS × MAX_COLUMNS (0-based, inclusive)."""
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return []
    merges: list[Merge] = []
    for match in _MERGE.finditer(xml):
        first_col, last_col = _column_index(match[1]), _column_index(match[3])
        first_row, last_row = int(match[2]) - 1, int(match[4]) - 1
        if first_row >= MAX_ROWS or first_col >= MAX_COLUMNS or last_row < first_row or last_col < first_col:
            continue
        merges.append((first_row, min(last_row, MAX_ROWS - 1), first_col, min(last_col, MAX_COLUMNS - 1)))
        if len(merges) > MAX_MERGES:
            raise CorruptDocument(source, f"不是报告表格：合并单元格超过 {MAX_MERGES} 处")
    return merges


def read_xls(data: bytes, source: str, limits: Any) -> Document:
    """Read a legacy .xls workbook (BIFF): every non-empty sheet becomes one table."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except NotImplementedError:
        book = None
    except Exception as error:  # xlrd.XLRDError, struct errors, compound-document errors
        raise CorruptDocument(source, "XLS 文件已损坏，无法读取（或内容与扩展名不符）") from error
    if book is None:
        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as error:
            raise CorruptDocument(source, "XLS 文件已损坏，无法读取（或内容与扩展名不符）") from error
    document = Document([])
    for sheet in book.sheets():
        n_rows, n_cols = min(sheet.nrows, MAX_ROWS), min(sheet.ncols, MAX_COLUMNS)
        values = [[_xls_text(book, sheet.cell(r, c)) for c in range(n_cols)] for r in range(n_rows)]
        merges = [(rlo, rhi - 1, clo, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        try:
            table = _table(values, merges)
        except ValueError as error:
            raise CorruptDocument(source, f"XLS 文件无法读取（{error}）") from error
        if table is not None:
            document.blocks.append(table)
    return document


def _xls_text(book: xlrd.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return display_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return display_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return display_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return display_text(cell.value)
