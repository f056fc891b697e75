"""DOCX reports: the body's paragraphs and tables in order, tables expanded over gridSpan and vMerge."""

from __future__ import annotations

import logging
import re
from io import BytesIO
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from parsers.errors import CorruptDocument
from parsers.grid import Block, Cell, Document, Paragraph, Table
from parsers.readers.archive import open_zip

logger = logging.getLogger(__name__)

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_T, _TAB, _BR, _CR, _HYPHEN = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_VAL, _TYPE = qn("w:val"), qn("w:type")
_ALT_CHUNK, _R_ID = qn("w:altChunk"), qn("r:id")
_DRAWING, _PICT = qn("w:drawing"), qn("w:pict")
# Runs of the paragraph itself, also inside hyperlinks, insertions, smart tags and fields; not those of
# text boxes (w:txbxContent) anchored in it, nor deleted text.
_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::w:del) and not(ancestor::w:moveFrom)"
    " and not(ancestor::mc:Fallback)]",
    namespaces={
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    },
)
_MAX_NESTING = 20
_MAX_SPAN = 64


def read_docx(data: bytes, source: str, limits: Any) -> Document:
    """Read a DOCX: paragraphs and full table grids in reading order; headers and text boxes ignored."""
    open_zip(data, source, "DOCX", limits.max_unzipped_bytes).close()
    try:
        word = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise CorruptDocument(source, f"not a readable DOCX ({error})") from error
    meta: dict[str, str] = {}
    title = (word.core_properties.title or "").strip()
    if title:
        meta["title"] = title
    reader = _BodyReader(word, source, limits)
    reader.walk(word.element.body, 0)
    document = Document(reader.blocks, meta=meta, warnings=reader.warnings)
    drawings = len(word.element.body.findall(".//" + _DRAWING)) + len(word.element.body.findall(".//" + _PICT))
    if drawings and not any(isinstance(block, Table) for block in reader.blocks):
        document.warnings.append(f"正文有 {drawings} 张图片、没有表格：图片版年报，需要 OCR 识别")
    return document


def paragraph_text(p: etree._Element) -> str:
    """The text of one w:p as Word shows it: w:br and w:cr as newlines, w:tab as a tab."""
    parts: list[str] = []
    for run in _RUNS(p):
        for child in run:
            if child.tag == _T:
                parts.append(child.text or "")
            elif child.tag == _TAB:
                parts.append("\t")
            elif child.tag == _BR:
                parts.append("" if child.get(_TYPE) == "page" else "\n")
            elif child.tag == _CR:
                parts.append("\n")
            elif child.tag == _HYPHEN:
                parts.append("-")
    return "".join(parts)


class _BodyReader:
    """Walks body-level content in order; altChunk parts (HTML pasted by web systems) are read in place."""

    def __init__(self, word: Any, source: str, limits: Any) -> None:
        self.word = word
        self.source = source
        self.limits = limits
        self.blocks: list[Block] = []
        self.warnings: list[str] = []

    def walk(self, container: etree._Element, depth: int) -> None:
        """Body-level content of the body or a table cell, in order."""
        for child in container:
            if child.tag == _P:
                text = paragraph_text(child).strip()
                if text:
                    self.blocks.append(Paragraph(text))
            elif child.tag == _TBL:
                self.table(child, depth)
            elif child.tag in (_SDT, _CUSTOM_XML):
                content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
                if content is not None:
                    self.walk(content, depth)
            elif child.tag == _ALT_CHUNK:
                self.alt_chunk(child)

    def table(self, tbl: etree._Element, depth: int) -> None:
        rows = [_cell_elements(tr) for tr in tbl.iterchildren(_TR)]
        has_nested = any(tc.find(".//" + _TBL) is not None for cells in rows for tc in cells)
        if (has_nested and depth < _MAX_NESTING) or (rows and all(len(cells) <= 1 for cells in rows)):
            # A layout table around the report tables, or a one-column box: read through its cells.
            for cells in rows:
                for tc in cells:
                    self.walk(tc, depth + 1)
            return
        table = _grid(tbl, rows)
        if table.rows:
            self.blocks.append(table)

    def alt_chunk(self, element: etree._Element) -> None:
        """An imported HTML chunk (w:altChunk): its content is only in the referenced part."""
        from parsers.readers.html import read_html  # only documents with altChunks need it

        part = self.word.part.related_parts.get(element.get(_R_ID) or "")
        if part is None:
            return
        content_type = getattr(part, "content_type", "")
        if "html" not in content_type:
            self.warnings.append(f"文档中嵌入的内容（{content_type or '未知类型'}）没有读取")
            return
        chunk = read_html(part.blob, self.source, self.limits)
        self.blocks.extend(chunk.blocks)


def _cell_elements(tr: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                cells.extend(c for c in content if c.tag == _TC)
    return cells


def _int_property(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    match = re.match(r"\d+", element.get(_VAL) or "")
    return int(match.group(0)) if match else default


def _cell_text(tc: etree._Element) -> str:
    lines = [paragraph_text(p).strip() for p in tc.iter(_P)]
    return "\n".join(line for line in lines if line)


def _grid(tbl: etree._Element, rows: list[list[etree._Element]]) -> Table:
    """Place cells on the table grid: gridSpan repeats a cell rightwards, vMerge continues it downwards."""
    grid: dict[tuple[int, int], Cell] = {}
    row_index = 0
    for tr, cells in zip(tbl.iterchildren(_TR), rows, strict=True):
        if not cells:
            continue
        tr_pr = tr.find(qn("w:trPr"))
        column = _int_property(tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None, 0)
        for tc in cells:
            tc_pr = tc.find(qn("w:tcPr"))
            span = _int_property(tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None, 1)
            span = max(1, min(span, _MAX_SPAN))
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            above = grid.get((row_index - 1, column))
            continues = v_merge is not None and v_merge.get(_VAL, "continue") == "continue" and above is not None
            text = above.text if continues and above is not None else _cell_text(tc)
            for offset in range(span):
                origin = not continues and offset == 0
                grid[(row_index, column + offset)] = Cell(text, origin, from_left=offset > 0)
            column += span
        row_index += 1
    if not grid:
        return Table([])
    width = max(col for _, col in grid) + 1
    return Table([[grid.get((r, c), Cell("", origin=False)) for c in range(width)] for r in range(row_index)])
