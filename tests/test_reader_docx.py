"""DOCX reader: body order, gridSpan/vMerge grids, layout tables, and zip checks before opening."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from parsers import Limits
from parsers.errors import CorruptDocument, TooLarge
from parsers.grid import Document, Paragraph, Table
from parsers.readers.docx import read_docx

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def merged_docx() -> bytes:
    """清源县人社局 2023: tables 二/三/四 with Word merges; 三（一）予以公开 总计 left empty."""
    return (GOLDEN / "docx_merged_2021" / "input.docx").read_bytes()


def _save(word: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, limits: Limits | None = None) -> Document:
    return read_docx(data, "report.docx", limits or Limits())


def _tables(document: Document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def test_read_docx_paragraphs_and_tables_in_body_order(merged_docx: bytes) -> None:
    document = _read(merged_docx)
    outline = [
        "table" if isinstance(block, Table) else block.text[:2]
        for block in document.blocks
        if isinstance(block, Table) or block.text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")
    ]
    assert outline == ["一、", "二、", "table", "三、", "table", "四、", "table", "五、", "六、"]
    first, last = document.blocks[0], document.blocks[-1]
    assert isinstance(first, Paragraph) and first.text == "清源县人力资源和社会保障局2023年政府信息公开工作年度报告"
    assert isinstance(last, Paragraph) and last.text == "2024年1月22日"


def test_read_docx_grids_are_full_rectangles(merged_docx: bytes) -> None:
    shapes = [(len(t.rows), {len(row) for row in t.rows}) for t in _tables(_read(merged_docx))]
    assert shapes == [(16, {4}), (28, {10}), (4, {15})]


def test_read_docx_grid_span_repeats_cell_to_the_right(merged_docx: bytes) -> None:
    active, requests, _ = _tables(_read(merged_docx))
    licensing = next(row for row in active.rows if row[0].text == "行政许可")
    assert [(c.text, c.origin, c.from_left) for c in licensing] == [
        ("行政许可", True, False), ("524", True, False), ("524", False, True), ("524", False, True)
    ]
    received = requests.rows[3]
    assert [c.text for c in received] == ["一、本年新收政府信息公开申请数量"] * 3 + ["9", "0", "0", "0", "0", "0", "9"]
    assert [c.origin for c in received[:3]] == [True, False, False]


def test_read_docx_vmerge_repeats_cell_downwards(merged_docx: bytes) -> None:
    requests = _tables(_read(merged_docx))[1]
    column0 = [row[0] for row in requests.rows[5:27]]
    assert {c.text for c in column0} == {"三、本年度办理结果"}
    assert [c.origin for c in column0] == [True] + [False] * 21
    assert not any(c.from_left for c in column0)
    other_handling = [row[1].text for row in requests.rows[23:26]]
    assert other_handling == ["（六）其他处理"] * 3
    # The 勾稽 note covers 3 × 3 cells: one origin, eight copies.
    note = [cell for row in requests.rows[:3] for cell in row[:3]]
    assert sum(cell.origin for cell in note) == 1 and len({cell.text for cell in note}) == 1


def test_read_docx_blank_total_cell_stays_empty(merged_docx: bytes) -> None:
    granted = _tables(_read(merged_docx))[1].rows[5]
    assert granted[2].text == "（一）予以公开"
    assert [c.text for c in granted[3:]] == ["5", "0", "0", "0", "0", "0", ""]
    assert granted[-1].origin is True


def test_read_docx_cell_line_breaks_and_tabs_kept() -> None:
    word = docx.Document()
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "本年新\n制作数量"
    table.cell(0, 1).paragraphs[0].add_run("3")
    table.cell(0, 1).add_paragraph("件")
    word.add_paragraph("甲\t乙")
    document = _read(_save(word))
    grid = _tables(document)[0]
    assert [c.text for c in grid.rows[0]] == ["本年新\n制作数量", "3\n件"]
    assert document.blocks[-1] == Paragraph("甲\t乙")


def test_read_docx_descends_into_layout_table() -> None:
    word = docx.Document()
    layout = word.add_table(rows=1, cols=1)
    cell = layout.cell(0, 0)
    cell.paragraphs[0].text = "二、主动公开政府信息情况"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "信息内容", "本年处理决定数量"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "行政许可", "7"
    cell.add_paragraph("三、收到和处理政府信息公开申请情况")
    document = _read(_save(word))
    assert document.blocks[0] == Paragraph("二、主动公开政府信息情况")
    assert [[c.text for c in row] for row in document.blocks[1].rows] == [["信息内容", "本年处理决定数量"],
                                                                          ["行政许可", "7"]]
    assert document.blocks[2] == Paragraph("三、收到和处理政府信息公开申请情况")
    assert len(document.blocks) == 3


def test_read_docx_not_a_zip_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match=r"report\.docx: 不是有效的 DOCX 文件：压缩包已损坏"):
        _read(b"\xd0\xcf\x11\xe0 this is an old Word file renamed to .docx")


def test_read_docx_zip_without_word_parts_is_corrupt() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    with pytest.raises(CorruptDocument, match=r"report\.docx: not a readable DOCX"):
        _read(buffer.getvalue())


def test_read_docx_zip_bomb_by_ratio_is_too_large() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(TooLarge, match=r"report\.docx: DOCX 中的 word/document\.xml 压缩比 \d+:1"):
        _read(buffer.getvalue())


def test_read_docx_unzipped_size_over_limit_is_too_large(merged_docx: bytes) -> None:
    with pytest.raises(TooLarge, match=r"report\.docx: DOCX 解压后 \d+ MiB，超过上限 0 MiB"):
        _read(merged_docx, Limits(max_unzipped_bytes=10_000))


def test_read_docx_empty_input_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="report.docx"):
        _read(b"")


def test_read_docx_reads_html_alt_chunk_in_place() -> None:
    word = docx.Document()
    word.add_paragraph("清源县统计局2023年政府信息公开工作年度报告")
    html = "<html><body><p>二、主动公开政府信息情况</p><table><tr><td>行政许可</td><td>7</td></tr></table></body>"
    part = Part(PackURI("/word/afchunk1.htm"), "text/html", html.encode("utf-8"), word.part.package)
    chunk = OxmlElement("w:altChunk")
    chunk.set(qn("r:id"), word.part.relate_to(part, RT.A_F_CHUNK))
    word.element.body.insert(1, chunk)
    word.add_paragraph("2024年1月24日")
    document = _read(_save(word))
    assert [b.text if isinstance(b, Paragraph) else [[c.text for c in r] for r in b.rows] for b in document.blocks] == [
        "清源县统计局2023年政府信息公开工作年度报告", "二、主动公开政府信息情况", [["行政许可", "7"]], "2024年1月24日"
    ]


def test_read_docx_pictures_without_tables_are_flagged(tmp_path: Path) -> None:
    image = tmp_path / "page1.png"
    Image.new("RGB", (40, 20), "white").save(image)
    word = docx.Document()
    word.add_paragraph("清源县统计局2023年政府信息公开工作年度报告")
    word.add_picture(str(image))
    document = _read(_save(word))
    assert document.warnings == ["正文有 1 张图片、没有表格：图片版年报，需要 OCR 识别"]

