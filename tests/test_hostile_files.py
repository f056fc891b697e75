"""Documents built to exhaust the parser: each is read or refused within bounded time and memory.

Each parse runs in a child process with an address-space limit of 1.5 GiB; the report or the error
comes back on stdout. Before the fixes, one merged range of a 7 KB XLSX took minutes and gigabytes.
"""

from __future__ import annotations

import io
import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

MEMORY_LIMIT = 1536 * 1024 * 1024
PARSE = """
import json, sys
from parsers import ParseError, parse_file
try:
    report = parse_file(sys.argv[1])
    print(json.dumps({"agency": report.agency, "values": len(report.values), "warnings": report.warnings}))
except ParseError as error:
    print(json.dumps({"error": str(error)}))
"""


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def parse_in_child(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PARSE, str(path)], capture_output=True, text=True, timeout=60,
                          preexec_fn=_limited, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _workbook() -> bytes:
    """A small sheet laid out like the start of a report's table three."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["XX县统计局2023年政府信息公开工作年度报告"])
    sheet.append(["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "", "", "申请人情况"])
    sheet.append(["一、本年新收政府信息公开申请数量", "", "", 3, 0, 0, 0, 0, 0, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_merges(data: bytes, refs: list[str]) -> bytes:
    """The workbook with <mergeCell> elements added to its first sheet, as a hand-edited file would have."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
                content = re.sub(rb"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}</mergeCells>'
                                 .encode(), content, count=1)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize(("name", "refs"), [
    ("whole_sheet_merge", ["A1:XFD1048576"]),
    ("whole_column_merges", [f"{col}1:{col}1048576" for col in ("A", "B", "C", "D", "E", "F", "G", "H")]),
    ("overlapping_merges", ["A1:GR5000"] * 2000),
])
def test_hostile_xlsx_is_read_or_refused_in_bounded_memory(tmp_path: Path, name: str, refs: list[str]) -> None:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(_with_merges(_workbook(), refs))
    assert path.stat().st_size < 64 * 1024
    outcome = parse_in_child(path)
    # Either a report or one clear error naming the file: never a crash, a hang or gigabytes.
    assert "error" not in outcome or outcome["error"].startswith(f"{path}: ")


def _docx_with_body(paragraphs: int) -> bytes:
    """A DOCX whose document.xml holds this many one-number paragraphs: tens of MiB of XML in a few MiB."""
    import docx

    document = docx.Document()
    document.add_paragraph("XX县统计局2023年政府信息公开工作年度报告")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                body = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(paragraphs))
                content = content.replace(b"</w:body>", body + b"</w:body>")
            target.writestr(item, content)
    return out.getvalue()


def test_hostile_docx_with_a_huge_document_xml_is_refused_by_its_real_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.docx"
    path.write_bytes(_docx_with_body(1_200_000))  # ~50 MB of XML, within the zip-bomb ratio
    outcome = parse_in_child(path)
    assert outcome["error"].startswith(f"{path}: ") and "XML" in outcome["error"]
