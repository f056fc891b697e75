"""One scanned page → ruled tables and text blocks, with each table cell's place on the image for re-reading.

The grid comes from the drawn ruling lines and is built by the PDF reader's lattice code (a missing line is a
span), so a scan and a text PDF of the same report give the same table. Text lines are detected once per
page; a detected line running across a column rule is cut there, so two cells never read as one number.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from parsers.grid import Block, Cell, Table
from parsers.ocr import engine
from parsers.ocr.image import DPI, Run, erase_lines, ruling_lines, straighten
from parsers.ocr.orient import upright
from parsers.readers.pdf_lattice import Segment, find_lattices, lattice_table
from parsers.readers.pdf_lines import Char, group_lines, text_blocks
from parsers.values import is_value_like

_POINTS = 72 / DPI  # one pixel in PDF points
_PAD = 3  # pixels around a detected text line
_CUT_MARGIN = 4  # pixels: a rule this far inside a text box cuts it
_MIN_SCORE = 0.5  # readings less sure than this are smudges, edges of pictures, stamps


@dataclass
class OcrCell:
    """A table cell read from an image: its grid copies (updated together), rectangle and confidence."""

    copies: list[Cell]
    rect: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the straightened page
    score: float
    page: PageImage

    @property
    def text(self) -> str:
        return self.copies[0].text

    def set_text(self, text: str) -> None:
        for cell in self.copies:
            cell.text = text


@dataclass
class PageImage:
    gray: np.ndarray  # straightened
    clean: np.ndarray  # straightened, ruling lines erased
    skew: float


@dataclass
class PageResult:
    height: float  # points
    placed: list[tuple[float, Block]]
    cells: list[OcrCell] = field(default_factory=list)
    skew: float = 0.0
    rotation: int = 0  # degrees clockwise the page was turned to stand upright

    @property
    def turn(self) -> str:
        """How the page was straightened, in words."""
        turned = f"旋转 {self.rotation}°、" if self.rotation else ""
        return f"{turned}倾斜校正 {self.skew:+.1f}°"


def _segments(height: int, rows: list[Run], columns: list[Run]) -> tuple[list[Segment], list[Segment]]:
    horizontal = [Segment((height - y) * _POINTS, a * _POINTS, b * _POINTS) for y, a, b in rows]
    vertical = [Segment(x * _POINTS, (height - b) * _POINTS, (height - a) * _POINTS) for x, a, b in columns]
    return horizontal, vertical


def _cut(box: tuple[int, int, int, int], rules: list[float]) -> list[tuple[int, int, int, int]]:
    """A text box split at the column rules (x in pixels) crossing it."""
    x0, y0, x1, y1 = box
    cuts = [int(x) for x in rules if x0 + _CUT_MARGIN < x < x1 - _CUT_MARGIN]
    edges = [x0, *cuts, x1]
    return [(a, y0, b, y1) for a, b in zip(edges, edges[1:], strict=False) if b - a > 4]


def _trim(image: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """A box narrowed to the ink inside it (a piece cut at a rule is mostly empty cell), None when blank."""
    x0, y0, x1, y1 = box
    dark = np.flatnonzero((image[y0:y1, x0:x1] < 160).any(axis=0))
    if len(dark) == 0:
        return None
    return x0 + int(dark[0]), y0, x0 + int(dark[-1]) + 1, y1


def _crop(image: np.ndarray, box: tuple[int, int, int, int], pad: int = _PAD) -> np.ndarray:
    x0, y0, x1, y1 = box
    height, width = image.shape[:2]
    return image[max(0, y0 - pad):min(height, y1 + pad), max(0, x0 - pad):min(width, x1 + pad)]


def read_page(gray: np.ndarray) -> PageResult:
    """Blocks of one page image (any resolution near 200 DPI, any quarter turn), top to bottom, with its table
    cells."""
    gray, rotation = upright(gray)
    gray, skew = straighten(gray)
    rows, columns = ruling_lines(gray)
    clean = erase_lines(gray, rows, columns)
    image = PageImage(gray, clean, skew)
    height = gray.shape[0] * _POINTS
    lattices = find_lattices(*_segments(gray.shape[0], rows, columns))
    boxes: list[tuple[int, int, int, int]] = []
    for box in engine.detect(clean):
        y_mid = height - (box[1] + box[3]) / 2 * _POINTS
        rules = [x / _POINTS for lattice in lattices if lattice.ys[-1] < y_mid < lattice.ys[0]
                 for column, x in enumerate(lattice.xs) if lattice.has_vertical(column, y_mid)]
        pieces = _cut(box, rules)
        boxes += [trimmed for piece in pieces if (trimmed := _trim(clean, piece) if len(pieces) > 1 else piece)]
    readings = engine.recognize([_crop(clean, box) for box in boxes])
    chars: list[Char] = []
    scores: dict[int, float] = {}
    for (x0, y0, x1, y1), (text, score) in zip(boxes, readings, strict=True):
        text = text.strip()
        if not text or score < _MIN_SCORE:
            continue
        char = Char(text, x0 * _POINTS, x1 * _POINTS, height - y1 * _POINTS, height - y0 * _POINTS)
        scores[id(char)] = score
        chars.append(char)
    result = PageResult(height, [], skew=skew, rotation=rotation)
    remaining = chars
    for lattice in lattices:
        inside, outside = lattice.split(remaining)
        if not inside:
            continue
        table = lattice_table(lattice, inside)
        if not any(is_value_like(cell.text) for row in table.rows for cell in row):
            continue  # a frame or a headline's strokes, not a statistics table: its text stays text
        remaining = outside
        result.placed.append((lattice.ys[0], table))
        result.cells += _table_cells(table, lattice.xs, lattice.ys, inside, scores, image, height)
    _read_missed(result.cells)
    lines = group_lines(remaining, tolerance=0.3)
    left = min((line.left for line in lines), default=0.0)
    right = max((line.right for line in lines), default=0.0)
    result.placed += text_blocks(lines, left, right)
    result.placed.sort(key=lambda item: -item[0])
    return result


def _table_cells(table: Table, xs: list[float], ys: list[float], chars: list[Char], scores: dict[int, float],
                 image: PageImage, height: float) -> list[OcrCell]:
    """Each origin cell with its copies, pixel rectangle and the lowest confidence of the text read in it."""
    neg_ys = [-y for y in ys]
    confidence: dict[tuple[int, int], float] = {}
    for char in chars:
        c = bisect_right(xs, (char.x0 + char.x1) / 2) - 1
        r = bisect_right(neg_ys, -char.cy) - 1
        confidence[(r, c)] = min(confidence.get((r, c), 1.0), scores.get(id(char), 1.0))
    cells: list[OcrCell] = []
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if not cell.origin:
                continue
            right = c + 1
            while right < len(row) and not row[right].origin and row[right].from_left:
                right += 1
            bottom = r + 1
            while bottom < len(table.rows) and not table.rows[bottom][c].origin \
                    and not table.rows[bottom][c].from_left:
                bottom += 1
            copies = [table.rows[i][j] for i in range(r, bottom) for j in range(c, right)]
            rect = (int(xs[c] / _POINTS), int((height - ys[r]) / _POINTS),
                    int(xs[right] / _POINTS), int((height - ys[bottom]) / _POINTS))
            score = min((confidence.get((i, j), 1.0) for i in range(r, bottom) for j in range(c, right)), default=1.0)
            cells.append(OcrCell(copies, rect, score, image))
    return cells


def _read_missed(cells: list[OcrCell]) -> None:
    """Cells with ink but no detected text (a lone thin 1 escapes the detector on a half-size page): read whole."""
    missed = [(cell, views[0]) for cell in cells if not cell.text.strip() and (views := cell_crops(cell, 1))]
    for (cell, _), (text, score) in zip(missed, engine.recognize([view for _, view in missed]), strict=True):
        if text.strip():
            cell.set_text(text.strip())
            cell.score = score


def cell_crops(cell: OcrCell, limit: int = 5) -> list[np.ndarray]:
    """Other views of one cell for a re-read: its ink trimmed, enlarged, reduced, binarised, lines kept."""
    import cv2

    x0, y0, x1, y1 = cell.rect
    inset = 4
    views: list[np.ndarray] = []
    area = cell.page.clean[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    if area.size == 0:
        return views
    dark = np.argwhere(area < 160)
    if len(dark) == 0:
        return views
    (top, left), (bottom, right) = dark.min(axis=0), dark.max(axis=0)
    box = (x0 + inset + int(left), y0 + inset + int(top), x0 + inset + int(right) + 1, y0 + inset + int(bottom) + 1)
    trimmed = _crop(cell.page.clean, box, 6)
    views.append(trimmed)
    if limit == 1:
        return views
    views.append(cv2.resize(trimmed, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
    views.append(cv2.resize(trimmed, None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA))
    _, binary = cv2.threshold(trimmed, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    views.append(binary)
    views.append(_crop(cell.page.gray, box, 10))
    return views
