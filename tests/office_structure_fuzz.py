"""Hypothesis over the structure of XLSX and DOCX files (merged ranges, sheet dimensions, XML depth and size).

Run by tests/test_parser_fuzz.py in a child process whose address space is limited, so a structure that makes
the parser allocate gigabytes fails the test instead of the machine, and one taking over 20 s fails too.
Not collected by pytest on its own.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ParseError, parse_bytes

FUZZ = settings(max_examples=60, deadline=20_000, suppress_health_check=[HealthCheck.too_slow], database=None)
COLUMNS = st.integers(1, 16384)
ROWS = st.integers(1, 1048576)


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_ref(draw: st.DrawFn) -> tuple[int, int]:
    return draw(COLUMNS), draw(ROWS)


@st.composite
def merge_refs(draw: st.DrawFn) -> str:
    (c1, r1), (c2, r2) = _cell_ref(draw), _cell_ref(draw)
    return f"{_column_letters(min(c1, c2))}{min(r1, r2)}:{_column_letters(max(c1, c2))}{max(r1, r2)}"


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一、本年新收政府信息公开申请数量", 3, 0, 0, 0, 0, 0, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()


def _rewrite(data: bytes, member: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                content = change(content)  # type: ignore[operator]
            target.writestr(item, content)
    return out.getvalue()


def _parse(data: bytes, name: str) -> None:
    try:
        parse_bytes(data, name)
    except ParseError as error:
        assert error.source == name and error.message


@FUZZ
@given(st.lists(merge_refs(), max_size=40), st.one_of(st.none(), merge_refs()))
def fuzz_xlsx_merges_and_dimension(refs: list[str], dimension: str | None) -> None:
    def change(xml: bytes) -> bytes:
        if dimension:
            xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), xml)
        cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
        if refs:
            xml = xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}</mergeCells>'
                              .encode(), 1)
        return xml

    _parse(_rewrite(WORKBOOK, "xl/worksheets/sheet1.xml", change), "fuzz.xlsx")


@FUZZ
@given(st.integers(0, 3000), st.integers(0, 200_000), st.integers(1, 40))
def fuzz_docx_depth_and_size(depth: int, paragraphs: int, grid: int) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("XX县统计局2023年政府信息公开工作年度报告")
    table = document.add_table(rows=2, cols=min(grid, 40))
    table.cell(0, 0).text = "一、本年新收政府信息公开申请数量"
    buffer = io.BytesIO()
    document.save(buffer)

    def change(xml: bytes) -> bytes:
        nested = b"<w:sdt><w:sdtContent>" * depth + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * depth
        body = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(paragraphs))
        return xml.replace(b"</w:body>", nested + body + b"</w:body>", 1)

    _parse(_rewrite(buffer.getvalue(), "word/document.xml", change), "fuzz.docx")


if __name__ == "__main__":
    fuzz_xlsx_merges_and_dimension()
    fuzz_docx_depth_and_size()
    sys.stdout.write("ok\n")
