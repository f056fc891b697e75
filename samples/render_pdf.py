"""A sample report as a real text PDF: embedded CJK font, tables with drawn ruling lines (reportlab)."""

from __future__ import annotations

import logging
from functools import cache
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from samples.layout import Layout, TableSpec, Text

logger = logging.getLogger(__name__)

CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
_FRAME_WIDTH = A4[0] - 36 * mm


@cache
def cjk_font() -> str:
    """Register an embeddable CJK TrueType font (WenQuanYi Micro Hei); STSong-Light (not embedded) otherwise."""
    for path in CJK_FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("SampleCJK", str(path), subfontIndex=0))
            return "SampleCJK"
    logger.warning("no CJK TrueType font found; using the non-embedded STSong-Light")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK", firstLineIndent=21)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=24, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=20, firstLineIndent=0,
                                  spaceBefore=6),
        "para": base,
        "signature": ParagraphStyle("signature", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, firstLineIndent=0),
        "number": ParagraphStyle("number", parent=base, fontSize=8, leading=10, firstLineIndent=0,
                                 alignment=TA_CENTER),
    }


def _table(spec: TableSpec, ruled: bool) -> Table:
    styles = _styles()
    width = len(spec.widths)
    data: list[list[object]] = [["" for _ in range(width)] for _ in range(_height(spec))]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(spec.rows):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    taken.add((r + dr, c + dc))
            numeric = not span.header and len(span.text) <= 12 and not any("\u4e00" <= ch <= "\u9fff"
                                                                          for ch in span.text.rstrip("元万"))
            data[r][c] = Paragraph(span.text, styles["number" if numeric or span.header else "cell"])
            if span.rowspan > 1 or span.colspan > 1:
                commands.append(("SPAN", (c, r), (c + span.colspan - 1, r + span.rowspan - 1)))
            c += span.colspan
    total = sum(spec.widths)
    widths = [_FRAME_WIDTH * w / total for w in spec.widths]
    return Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=0, splitByRow=1)


def _height(spec: TableSpec) -> int:
    height = 0
    for r, row in enumerate(spec.rows):
        height = max(height, r + 1, *(r + span.rowspan for span in row))
    return height


def render_pdf(printed: Layout, ruled: bool = True) -> bytes:
    """The layout as an A4 PDF with a text layer in an embedded CJK font; ruled=False draws no table lines."""
    styles = _styles()
    story: list[Flowable] = []
    for block in printed.blocks:
        if isinstance(block, Text):
            story.append(Paragraph(block.text, styles[block.role]))
        else:
            story += [Spacer(1, 4), _table(block, ruled), Spacer(1, 6)]
    out = BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                                 bottomMargin=20 * mm, title=printed.title, author="nianbao samples", invariant=1)
    document.build(story)
    return out.getvalue()
