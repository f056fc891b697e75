"""Text PDFs with pypdfium2: characters with boxes and drawn ruling lines → paragraphs and table grids.

pypdfium2 was chosen by measurement (bench/parse.py): pdfplumber took ~0.2 s for a 2-page report,
pdfium gives the same characters with boxes in a few milliseconds. A ruled table is rebuilt from its
lines (a missing line between two grid slots is a span), so a label wrapping inside its cell stays on
its numbers' row; tables without lines fall back to splitting lines at wide gaps (pdf_lattice, pdf_lines).
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.errors import CorruptDocument, TooLarge
from parsers.grid import Block, Document, Table
from parsers.readers.pdf_lattice import Segment, find_lattices, join_split_row, lattice_table
from parsers.readers.pdf_lines import Char, group_lines, text_blocks

if TYPE_CHECKING:
    from parsers import Limits

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")
_UNMAPPED = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x1f]")
_THIN = 3.5  # points: a filled rectangle this thin is a ruling line (Word draws cell borders so)


@contextmanager
def _open(data: bytes, source: str) -> Iterator[pdfium.PdfDocument]:
    # A download cut short has no end marker; a few portals append junk after it, so look in the last quarter.
    if b"%%EOF" not in data[-4096:] and data.rfind(b"%%EOF") < len(data) * 3 // 4:
        raise CorruptDocument(source, "truncated PDF (no %%EOF end marker)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise CorruptDocument(source, "encrypted PDF: needs a password") from error
        raise CorruptDocument(source, f"damaged PDF ({message})") from error
    try:
        yield document
    finally:
        document.close()


def _title(pdf: pdfium.PdfDocument) -> str:
    """The Title of the document information, decoded leniently (damaged files hold broken UTF-16)."""
    size = pdfium_c.FPDF_GetMetaText(pdf.raw, b"Title", None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_GetMetaText(pdf.raw, b"Title", buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").strip()


def _chars(textpage: pdfium.PdfTextPage) -> list[Char]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count, errors="replace")
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    chars: list[Char] = []
    # get_text_range may differ in length from count when it adds line breaks; read char by char then.
    aligned = len(text) == count
    space = False
    for index in range(count):
        char = text[index] if aligned else chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        if char.isspace() or char == "\x00":
            space = space or (char == " " and pdfium_c.FPDFText_IsGenerated(raw, index) != 1)
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            continue
        found = Char(char, rect.left, rect.right, min(rect.bottom, rect.top), max(rect.bottom, rect.top), space)
        space = False
        if chars and _overprinted(chars[-1], found):
            continue  # fake bold: the same glyph drawn again a fraction of a point away
        chars.append(found)
    return chars


def _overprinted(previous: Char, char: Char) -> bool:
    width = max(previous.x1 - previous.x0, 0.1)
    return (char.text == previous.text and abs(char.x0 - previous.x0) < 0.25 * width
            and abs(char.y0 - previous.y0) < 0.25 * (previous.y1 - previous.y0))


def _segments(page: pdfium.PdfPage) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling lines: stroked path edges and thin rectangles (Word fills its borders)."""
    horizontal: list[Segment] = []
    vertical: list[Segment] = []
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if right - left <= _THIN and top - bottom > _THIN:
            vertical.append(Segment((left + right) / 2, bottom, top))
        elif top - bottom <= _THIN and right - left > _THIN:
            horizontal.append(Segment((bottom + top) / 2, left, right))
        elif right - left > _THIN and top - bottom > _THIN:
            pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
            for points in _subpaths(obj.raw):
                _add_subpath(points, bool(stroke.value), horizontal, vertical)
    return horizontal, vertical


def _subpaths(handle: object) -> list[list[tuple[float, float]]]:
    """The points of each subpath of a path object, in page coordinates; a closed subpath repeats its start."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
    x = ctypes.c_float()
    y = ctypes.c_float()
    result: list[list[tuple[float, float]]] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(handle)):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e, matrix.b * x.value + matrix.d * y.value + matrix.f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not result:
            result.append([point])
        else:
            result[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            result[-1].append(result[-1][0])
    return result


def _add_subpath(points: list[tuple[float, float]], stroked: bool, horizontal: list[Segment],
                 vertical: list[Segment]) -> None:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= _THIN < height:
        vertical.append(Segment((min(xs) + max(xs)) / 2, min(ys), max(ys)))
    elif height <= _THIN < width:
        horizontal.append(Segment((min(ys) + max(ys)) / 2, min(xs), max(xs)))
    elif stroked:  # a stroked rectangle or polyline: each straight edge is a line; a filled shape is shading
        for p, q in zip(points, points[1:], strict=False):
            if abs(p[1] - q[1]) < 0.5 and abs(p[0] - q[0]) > _THIN:
                horizontal.append(Segment(p[1], min(p[0], q[0]), max(p[0], q[0])))
            elif abs(p[0] - q[0]) < 0.5 and abs(p[1] - q[1]) > _THIN:
                vertical.append(Segment(p[0], min(p[1], q[1]), max(p[1], q[1])))


def _page_blocks(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> tuple[list[tuple[float, Block]], int, int]:
    """(top, block) of one page in reading order (top to bottom), its character count and unmapped characters."""
    chars = _chars(textpage)
    if not chars:
        return [], 0, 0
    unmapped = sum(1 for char in chars if _UNMAPPED.match(char.text))
    placed: list[tuple[float, Block]] = []
    remaining = chars
    for lattice in find_lattices(*_segments(page)):
        inside, outside = lattice.split(remaining)
        if not inside:
            continue
        remaining = outside
        placed.append((lattice.ys[0], lattice_table(lattice, inside)))
    lines = group_lines(remaining, tolerance=0.3)
    left_margin = min((line.left for line in lines), default=0.0)
    right_margin = max((line.right for line in lines), default=0.0)
    placed += text_blocks(lines, left_margin, right_margin)
    placed.sort(key=lambda item: -item[0])
    return placed, len(chars), unmapped


def _running_key(top: float, height: float, block: Block) -> str | None:
    """What a running header or footer would repeat (digits blanked), for a block in the page's margins."""
    if 0.1 * height < top < 0.92 * height:
        return None
    if isinstance(block, Table):
        if len(block.rows) != 1:
            return None
        text = "\t".join(cell.text for cell in block.rows[0] if cell.origin)
    else:
        text = block.text
    return _DIGITS.sub("#", text) if len(text) <= 120 else None


def _drop_running_lines(pages: list[tuple[float, list[tuple[float, Block]]]]) -> list[list[Block]]:
    """Blocks per page without running headers and footers: margin lines repeated on two or more pages
    (page numbers, a browser's print header with date and title, the agency's letterhead)."""
    seen: dict[str, set[int]] = {}
    for number, (height, placed) in enumerate(pages):
        for top, block in placed:
            key = _running_key(top, height, block)
            if key is not None:
                seen.setdefault(key, set()).add(number)
    running = {key for key, where in seen.items() if len(where) >= 2}
    return [[block for top, block in placed if _running_key(top, height, block) not in running]
            for height, placed in pages]


def _scanned(data: bytes, source: str, message: str, meta: dict[str, str], limits: Limits | None) -> Document:
    """A PDF of page images goes to OCR (parsers.readers.scan), or raises NoTextLayer when it is not installed or
    left to the OCR stage."""
    from parsers.readers.scan import queued_for_ocr, read_scanned_pdf

    if limits is not None and not limits.ocr:
        raise queued_for_ocr(source, message)
    with _open(data, source) as pdf:
        return read_scanned_pdf(pdf, source, message, meta, limits)


def read_pdf(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read a text PDF; image-only ones go to OCR (NoTextLayer without the ocr extra); damaged files raise
    CorruptDocument, long ones TooLarge."""
    max_pages = limits.max_pdf_pages if limits is not None else 200
    with _open(data, source) as pdf:
        pages = len(pdf)
        if pages == 0:
            raise CorruptDocument(source, "PDF without pages")
        if pages > max_pages:
            raise TooLarge(source, f"{pages} pages is over the {max_pages}-page limit")
        meta = {}
        title = _title(pdf)
        if title:
            meta["title"] = title
        pages_placed: list[tuple[float, list[tuple[float, Block]]]] = []
        total_chars = 0
        unreadable = 0
        empty_pages = 0
        for index in range(pages):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as error:
                raise CorruptDocument(source, f"page {index + 1} cannot be read ({error})") from error
            textpage = page.get_textpage()
            try:
                placed, count, bad = _page_blocks(page, textpage)
                pages_placed.append((page.get_height(), placed))
            finally:
                textpage.close()
                page.close()
            total_chars += count
            unreadable += bad
            empty_pages += count == 0
    if total_chars == 0:
        return _scanned(data, source, f"没有文字层：扫描件（{pages} 页图片），需要 OCR 识别", meta, limits)
    if unreadable > 0.3 * total_chars:
        # Fonts embedded without a Unicode map: the text layer is glyph ids, as good as an image.
        unmapped = f"{total_chars} 个字符中 {unreadable} 个没有字符映射"
        return _scanned(data, source, f"文字层无法识别（{unmapped}），需要 OCR 识别", meta, limits)
    blocks: list[Block] = []
    for page_blocks in _drop_running_lines(pages_placed):
        join_split_row(blocks, page_blocks)
        blocks += page_blocks
    warnings = [f"{pages} 页中有 {empty_pages} 页没有文字（图片？）"] if empty_pages else []
    logger.debug("%s: %d pages, %d characters, %d blocks", source, pages, total_chars, len(blocks))
    return Document(blocks, meta, warnings)
