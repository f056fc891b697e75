"""Image-only PDFs: each page rendered at 200 DPI, read by OCR (parsers.ocr), the tables checked by arithmetic.

The PDF reader hands a document over here when it has no text layer. The cells are mapped onto the
template by the same extractor as every other format (rows by their label, so a missed line or a merged
label does not shift the numbers); the identities of tables 三 and 四 then judge each reading
(parsers.ocr.verify). Cells the arithmetic could not confirm are listed in Document.uncertain.
"""

from __future__ import annotations

import logging
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import numpy as np
import pypdfium2 as pdfium

from parsers.errors import NotAReport, NoTextLayer
from parsers.grid import Block, Cell, Document, Table
from parsers.normalize import compact
from parsers.ocr import INSTALL_HINT, available
from parsers.readers.pdf_lattice import join_split_row
from parsers.rows import REQUEST_ROW_WORDS, match_words, strip_enumerator
from parsers.schema import rows_of
from parsers.values import is_value_like

if TYPE_CHECKING:
    from parsers import Limits
    from parsers.ocr.page import OcrCell, PageResult

logger = logging.getLogger(__name__)

_TAG_BASE = 9_100_000  # stand-in numbers that tell which image cell the extractor put under which key


def ocr_unavailable(source: str, message: str) -> NoTextLayer:
    """The needs-OCR error when the extra is not installed, with the command that installs it."""
    return NoTextLayer(source, f"{message}；{INSTALL_HINT}")


def queued_for_ocr(source: str, message: str) -> NoTextLayer:
    """The needs-OCR error of a document left to the OCR stage (a crawl does not OCR: it takes seconds a page)."""
    return NoTextLayer(source, f"{message}；已排入 OCR 识别队列（nianbao ocr）")


def read_pages(images: list[np.ndarray], unit: str = "页",
               page_timeout: float | None = None) -> tuple[list[PageResult | None], list[str]]:
    """Each page image read by OCR (None for a page over its time limit), and a warning for each page skipped."""
    from parsers.ocr.deadline import PageTimeout, page_deadline
    from parsers.ocr.page import read_page

    pages: list[PageResult | None] = []
    notes: list[str] = []
    for number, image in enumerate(images, start=1):
        try:
            with page_deadline(page_timeout):
                pages.append(read_page(image))
        except PageTimeout:
            pages.append(None)
            notes.append(f"OCR：第 {number} {unit}识别超过 {page_timeout:g} 秒，已跳过，其中内容未能识别")
            logger.warning("page %d: OCR over %s s, skipped", number, page_timeout)
    return pages, notes


def render_pages(pdf: pdfium.PdfDocument) -> list[np.ndarray]:
    """Greyscale page images at the OCR resolution."""
    from parsers.ocr.image import DPI

    images = []
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            images.append(np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")))
        finally:
            page.close()
    return images


def read_images(images: list[np.ndarray], source: str, meta: dict[str, str] | None = None,
                judge: bool = True, page_timeout: float | None = None) -> Document:
    """Page images → Document, table cells re-read where the arithmetic says they are wrong (unless `judge` is
    False: the first reading alone, which bench/ocr.py compares against)."""
    read, notes = read_pages(images, "页", page_timeout)
    pages = [page for page in read if page is not None]
    blocks: list[Block] = []
    for page in pages:
        page_blocks = [block for _, block in page.placed]
        join_split_row(blocks, page_blocks)
        blocks += page_blocks
    skews = "，".join(page.turn for page in pages)
    document = Document(blocks, dict(meta or {}), [f"扫描件：{len(pages)} 页经 OCR 识别（{skews}）", *notes])
    document.unread_pages = [n for n, page in enumerate(read, start=1) if page is None]
    judge_reading(document, pages, source, judge)
    return document


def judge_reading(document: Document, pages: list[PageResult], source: str, judge: bool = True) -> None:
    """A document whose tables were read from images: garbled row labels fitted to the template, then (if
    `judge`) the cells the arithmetic refutes re-read, and those it cannot confirm marked uncertain."""
    document.ocr = True
    snap_labels(document)
    if judge:
        _judge(document, pages, source)


def _leaf_labels() -> dict[str, str]:
    """Template row key → its own label as printed (三（三）2.其他法律… → 其他法律…), both templates."""
    labels: dict[str, str] = {}
    for template in ("2021", "2019"):
        for row in rows_of("requests", template):
            leaf = row.label.rsplit("）", 1)[-1]
            labels.setdefault(row.key, strip_enumerator(leaf.split("、", 1)[-1] if "、" in leaf[:3] else leaf))
    # Short generic labels (其他, 总计) are placed by their group, never guessed from a garbled one.
    for key in ("results_total", "other_handling", "other_handling.other"):
        labels.pop(key, None)
    return labels


def snap_labels(document: Document) -> None:
    """Rows of table 三 whose label OCR garbled (2.其他法律行政止公开) take the closest template label not yet
    seen, so their numbers are not lost as an extra row; each such fit is said in a warning."""
    labels = _leaf_labels()
    rows: list[tuple[Cell, str]] = []
    seen: set[str] = set()
    for block in document.blocks:
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            first = next((i for i, cell in enumerate(row) if is_value_like(cell.text)), None)
            if first is None or first == 0 or sum(is_value_like(cell.text) for cell in row) < 6:
                continue
            label = row[first - 1]
            text = compact(label.text)
            key = match_words(text, REQUEST_ROW_WORDS)
            if key:
                seen.add(key)
            elif text and strip_enumerator(text) not in ("总计", "合计", "小计", "其他", "其他处理"):
                rows.append((label, text))
    for label, text in rows:
        bare = strip_enumerator(text)
        candidates = [(SequenceMatcher(None, bare, leaf).ratio(), key) for key, leaf in labels.items()
                      if key not in seen]
        if not candidates:
            return
        ratio, key = max(candidates)
        if ratio >= 0.6:
            seen.add(key)
            fitted = text[:len(text) - len(bare)] + labels[key]
            document.warnings.append(f"扫描件：表三行标签“{text}”按模板识别为“{fitted}”")
            for cell in _copies(document, label):
                cell.text = fitted


def _copies(document: Document, origin: Cell) -> list[Cell]:
    """The grid copies of a spanned cell (same text object placed over its area)."""
    found = [origin]
    for block in document.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for index, cell in enumerate(row):
                    if cell is origin:
                        found += [c for c in row[index + 1:] if not c.origin and c.text == origin.text]
    return found


def _value_cells(document: Document, cells: list[OcrCell]) -> list[OcrCell]:
    """Cells that stand where a row's values are: value-like ones, and blanks right of a row's first value."""
    by_cell = {id(cell.copies[0]): cell for cell in cells}
    found: list[OcrCell] = []
    for block in document.blocks:
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            first = next((i for i, cell in enumerate(row) if is_value_like(cell.text)), None)
            if first is None:
                continue
            for index, cell in enumerate(row[first:], start=first):
                ocr_cell = by_cell.get(id(cell))
                if ocr_cell is not None and (is_value_like(cell.text) or not cell.text.strip()) and index >= first:
                    found.append(ocr_cell)
    return list({id(cell): cell for cell in found}.values())


def _cell_keys(document: Document, cells: list[OcrCell], source: str) -> tuple[dict[str, OcrCell], str, list[str]]:
    """Which image cell the extractor reads under which template key, the template, and the template keys read
    blank from no cell of a row with values (a lone 0 the detector missed looks so): extracted with tags."""
    from parsers.extract import extract_report

    tagged: dict[str, OcrCell] = {}
    originals: list[tuple[OcrCell, str]] = []
    for number, cell in enumerate(_value_cells(document, cells)):
        originals.append((cell, cell.text))
        tag = str(_TAG_BASE + number)
        cell.set_text(tag)
        tagged[tag] = cell
    try:
        report = extract_report(document, source)
    except NotAReport:
        return {}, "unknown", []
    finally:
        for cell, text in originals:
            cell.set_text(text)
    blanks = [key for key, raw in report.raw.items() if not raw.strip() and not key.startswith("extra.")]
    return {key: tagged[raw] for key, raw in report.raw.items() if raw in tagged}, report.template, blanks


def _judge(document: Document, pages: list[PageResult], source: str) -> None:
    from parsers.ocr import engine
    from parsers.ocr.page import cell_crops
    from parsers.ocr.verify import verify

    cells = [cell for page in pages for cell in page.cells]
    by_key, template, blanks = _cell_keys(document, cells, source)
    if not by_key:
        return

    def reread(key: str) -> list[str]:
        return [text for text, _ in engine.recognize(cell_crops(by_key[key]))]

    texts = {key: cell.text for key, cell in by_key.items()}
    scores = {key: cell.score for key, cell in by_key.items()}
    corrected, uncertain = verify(texts, scores, template, reread)
    uncertain |= set(blanks)
    mended = [key for key, text in corrected.items() if text != texts[key]]
    for key in mended:
        by_key[key].set_text(corrected[key])
    if mended:
        document.warnings.append(f"扫描件：{len(mended)} 个单元格按表内勾稽关系重新识别后更正")
    if uncertain:
        document.uncertain = sorted(uncertain)
        document.warnings.append(
            f"扫描件：{len(uncertain)} 个单元格识别结果不确定（与表内勾稽关系不符或多次识别不一致），请对照原件核对"
        )
    logger.debug("%s: %d cells mapped, %d mended, %d uncertain", source, len(by_key), len(mended), len(uncertain))


def read_scanned_pdf(pdf: pdfium.PdfDocument, source: str, message: str, meta: dict[str, str],
                     limits: Limits | None = None) -> Document:
    """The hand-off from the PDF reader: OCR when the extra is installed, else NoTextLayer with the install hint."""
    if not available():
        raise ocr_unavailable(source, message)
    return read_images(render_pages(pdf), source, meta, page_timeout=limits.ocr_page_timeout if limits else None)

