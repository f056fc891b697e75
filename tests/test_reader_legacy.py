"""Legacy .doc/.wps reader: a real LibreOffice conversion, its timeout, and a missing soffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from parsers import Limits, read_document
from parsers.errors import CorruptDocument, MissingTool, ParseError
from parsers.grid import Table
from parsers.readers.legacy import read_legacy

GOLDEN = Path(__file__).parent / "golden"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture
def legacy_doc() -> bytes:
    """清源县住建局 2019: a 2019-template report saved as Word 97–2003 .doc by LibreOffice."""
    return (GOLDEN / "doc_legacy_2019" / "input.doc").read_bytes()


def _soffice_processes_of_this_test_run() -> list[str]:
    """Command lines of soffice processes using this process's private profile."""
    marker = f"nianbao-lo-{os.getpid()}"
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if marker in line and "soffice" in line]


@needs_soffice
def test_read_legacy_converts_doc_to_tables_and_paragraphs(legacy_doc: bytes) -> None:
    document = read_legacy(legacy_doc, "report.doc", Limits())
    assert document.blocks[0].text == "清源县住房和城乡建设局2019年政府信息公开工作年度报告"
    tables = [block for block in document.blocks if isinstance(block, Table)]
    assert [len(t.rows) for t in tables] == [18, 26, 4]
    licensing = next(row for row in tables[0].rows if row[0].text == "行政许可")
    assert [c.text for c in licensing] == ["行政许可", "45", "增16", "1380"]
    procurement = next(row for row in tables[0].rows if row[0].text == "政府集中采购")
    assert [c.text for c in procurement] == ["政府集中采购", "14", "251000元", "251000元"]
    assert [c.origin for c in procurement] == [True, True, True, False]


@needs_soffice
def test_read_legacy_is_chosen_for_wps_by_read_document(legacy_doc: bytes) -> None:
    document = read_document(legacy_doc, "http://example.gov.cn/P020200120.wps")
    assert document.blocks[-1].text == "2020年1月20日"


def test_read_legacy_without_soffice_names_the_package(legacy_doc: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MissingTool, match=r"report\.doc: 读取 \.doc/\.wps 需要 LibreOffice.*libreoffice-writer-nogui"):
        read_legacy(legacy_doc, "report.doc", Limits())


@needs_soffice
def test_read_legacy_timeout_kills_libreoffice(legacy_doc: bytes) -> None:
    with pytest.raises(ParseError, match=r"report\.doc: LibreOffice 转换超时（0\.05 秒）"):
        read_legacy(legacy_doc, "report.doc", Limits(convert_timeout_s=0.05))
    assert _soffice_processes_of_this_test_run() == []


@needs_soffice
def test_read_legacy_unconvertible_file_is_corrupt() -> None:
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000
    with pytest.raises(CorruptDocument, match=r"report\.doc: LibreOffice 无法将其转换为 DOCX"):
        read_legacy(broken, "report.doc", Limits())


def test_read_legacy_rejects_bytes_that_are_no_word_file() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    with pytest.raises(CorruptDocument, match=r"report\.wps: 不是 Word 的 \.doc/\.wps 文件"):
        read_legacy(b"PK\x03\x04 a zip renamed to .wps", "report.wps", Limits())
