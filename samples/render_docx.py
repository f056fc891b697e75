"""A sample report as a Word document (python-docx): paragraphs and tables with merged cells."""

from __future__ import annotations

from html import escape
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from samples.layout import Layout, Span, TableSpec, Text


def _tc(text: str, colspan: int, merge: str | None, bold: bool) -> str:
    props = (f'<w:gridSpan w:val="{colspan}"/>' if colspan > 1 else "") + (
        '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>" if merge == "continue" else "")
    run = ""
    if text:
        run = f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{run}</w:p></w:tc>"


def _table_xml(spec: TableSpec) -> str:
    """A w:tbl with gridSpan for column spans and vMerge for row spans, as Word writes merged cells."""
    owner: dict[tuple[int, int], tuple[int, int, Span]] = {}
    for r, row in enumerate(spec.rows):
        c = 0
        for span in row:
            while (r, c) in owner:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    owner[(r + dr, c + dc)] = (r, c, span)
            c += span.colspan
    height = max(r for r, _ in owner) + 1
    width = len(spec.widths)
    twips = [int(9000 * w / sum(spec.widths)) for w in spec.widths]
    rows = []
    for r in range(height):
        cells = []
        c = 0
        while c < width:
            if (r, c) not in owner:
                cells.append(_tc("", 1, None, False))
                c += 1
                continue
            r0, c0, span = owner[(r, c)]
            merge = None if span.rowspan == 1 else "restart" if r0 == r else "continue"
            cells.append(_tc(span.text if r0 == r else "", span.colspan, merge, span.header))
            c = c0 + span.colspan
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _table(document: DocxDocument, spec: TableSpec) -> None:
    # Built as XML: python-docx's cell.merge() takes about a second per report table.
    anchor = document.add_paragraph()
    anchor._p.addnext(parse_xml(_table_xml(spec)))


def render_docx(printed: Layout) -> bytes:
    """The layout as a .docx with real merged cells (gridSpan and vMerge)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    document.core_properties.title = printed.title
    for block in printed.blocks:
        if isinstance(block, TableSpec):
            _table(document, block)
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        if isinstance(block, Text) and block.role in ("title", "heading"):
            run.bold = True
        if block.role == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.role == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = BytesIO()
    document.save(out)
    return out.getvalue()
