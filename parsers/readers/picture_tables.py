"""Article pages whose statistics tables are pictures: screenshots of a Word table pasted into the CMS between the
text paragraphs. The paragraphs come from the HTML as for any page; each picture is read by the same OCR table
code as a scanned page (parsers.ocr), its blocks put where the picture stands, and the tables judged by their
arithmetic (parsers.readers.scan). A table cut over several pictures is joined as one over pages is; one picture
may hold two tables.
"""

from __future__ import annotations

import base64
import binascii
import logging
from io import BytesIO
from typing import TYPE_CHECKING

import numpy as np

from parsers.errors import NoTextLayer
from parsers.grid import Block, Document
from parsers.ocr import available
from parsers.readers.pdf_lattice import join_split_row
from parsers.readers.scan import judge_reading, ocr_unavailable, queued_for_ocr
from parsers.readers.web_archive import image_type

if TYPE_CHECKING:
    from parsers import Limits

logger = logging.getLogger(__name__)

# A screenshot of a table as wide as the page's text is scaled to that width on a 200-DPI scan, where the OCR
# code's sizes hold (a 96-DPI screenshot of 五号 text is 14 px high, half of what the detector likes).
_TEXT_WIDTH = 1370
_BORDER = 24  # white pixels added around a tight crop, so the table's outer rules are not on the edge
_MIN_WIDTH, _MIN_HEIGHT = 200, 40  # smaller pictures are icons, bullets and stamps, not tables


def _picture_bytes(sources: list[str], pictures: dict[str, bytes]) -> bytes | None:
    for url in sources:
        if url.startswith("data:") and ";base64," in url[:80]:
            try:
                data = base64.b64decode(url.split(",", 1)[1], validate=False)
            except (binascii.Error, ValueError):
                continue
            if image_type(data):
                return data
        elif url in pictures:
            return pictures[url]
    return None


def picture_gray(data: bytes) -> np.ndarray | None:
    """A picture as a greyscale image at scan scale, or None when it cannot be decoded or is too small to be a
    table (an icon)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as opened:
            opened.seek(0)  # a GIF's first frame
            image: Image.Image = opened
            if image.mode in ("RGBA", "LA", "P"):  # transparent parts are the page's white
                canvas = Image.new("RGBA", image.size, (255, 255, 255, 255))
                canvas.alpha_composite(image.convert("RGBA"))
                image = canvas
            gray = np.asarray(image.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    height, width = gray.shape
    if width < _MIN_WIDTH or height < _MIN_HEIGHT:
        return None
    import cv2

    if width < 0.8 * _TEXT_WIDTH or width > 2 * _TEXT_WIDTH:
        scale = _TEXT_WIDTH / width
        gray = cv2.resize(gray, None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    return cv2.copyMakeBorder(gray, _BORDER, _BORDER, _BORDER, _BORDER, cv2.BORDER_CONSTANT, value=255)


def read_picture_tables(document: Document, slots: list[tuple[int, list[str]]], pictures: dict[str, bytes],
                        source: str, limits: Limits | None) -> Document:
    """The page's Document with the blocks read from its pictures put where they stand (`slots`: block index and
    the addresses of each picture); NoTextLayer when OCR is left to the OCR stage or not installed."""
    message = f"正文有 {len(slots)} 张图片、没有表格：图片版年报，需要 OCR 识别"
    if limits is not None and not limits.ocr:
        raise queued_for_ocr(source, message)
    if not available():
        raise ocr_unavailable(source, message)
    from parsers.readers.scan import read_pages

    images: list[tuple[int, np.ndarray]] = []
    missing: list[int] = []
    icons = 0
    for number, (index, sources) in enumerate(slots, start=1):
        data = _picture_bytes(sources, pictures)
        if data is None:
            missing.append(number)
            continue
        gray = picture_gray(data)
        if gray is None:
            icons += 1
            continue
        images.append((index, gray))
    if not images:
        raise NoTextLayer(source, f"{message}，但图片未随网页保存（{len(missing)} 张未取得）")
    pages, notes = read_pages([gray for _, gray in images], "张图片", limits.ocr_page_timeout if limits else None)
    document.unread_pages = [number for number, page in enumerate(pages, start=1) if page is None]
    placed: dict[int, list[Block]] = {}
    previous_index = None
    for (index, _), page in zip(images, pages, strict=True):
        here = placed.setdefault(index, [])
        read = [block for _, block in page.placed] if page is not None else []
        if previous_index == index:  # pictures one after another: a table cut over them joins up
            join_split_row(here, read)
        here += read
        previous_index = index
    blocks: list[Block] = []
    for position, block in enumerate(document.blocks):
        blocks += placed.pop(position, [])
        blocks.append(block)
    for position in sorted(placed):
        blocks += placed[position]
    document.blocks = blocks
    summary = f"图片版年报：{len(images)} 张图片经 OCR 识别"
    if icons:
        summary += f"（另有 {icons} 张小图不是表格，未识别）"
    document.warnings.append(summary)
    if missing:
        document.warnings.append(f"图片版年报：第 {'、'.join(map(str, missing))} 张图片未随网页保存，其中内容未能识别")
    document.warnings += notes
    judge_reading(document, [page for page in pages if page is not None], source)
    logger.debug("%s: %d pictures read, %d missing, %d icons", source, len(images), len(missing), icons)
    return document
