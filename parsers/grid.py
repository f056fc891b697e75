"""The one document model every reader produces: paragraphs and fully expanded table grids."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Cell:
    """One grid position. A spanned cell is repeated over its area; copies have origin=False."""

    text: str
    origin: bool = True
    # A copy made by a colspan (the cell to its left spans over it). The extractor drops these so a
    # value cell spanning 3 columns (2021 行政许可 | 0 over 3 columns) reads as one value.
    from_left: bool = False


@dataclass
class Table:
    rows: list[list[Cell]]
    spanned: bool = True  # False: no cell spans columns (text dumps), so no row needs its spans worked out

    @classmethod
    def from_texts(cls, rows: list[list[str]]) -> Table:
        """A table of unspanned cells (text dumps, spreadsheets)."""
        return cls([[Cell(text) for text in row] for row in rows], spanned=False)


@dataclass
class Paragraph:
    text: str


Block = Paragraph | Table


@dataclass
class Document:
    """What a reader extracted from one file, before any template is applied."""

    blocks: list[Block]
    # Page metadata where the format has it: <title>, meta ArticleTitle/PubDate/ContentSource…
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False  # read from page images (parsers.readers.scan)
    # Template keys whose OCR reading the tables' arithmetic could not confirm.
    uncertain: list[str] = field(default_factory=list)
    # Page (or picture) numbers OCR skipped for running over their time limit: the report is incomplete.
    unread_pages: list[int] = field(default_factory=list)

    def text(self) -> str:
        """Plain text of the whole document, a table row per line with cells joined by tabs."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                for row in block.rows:
                    lines.append("\t".join(cell.text for cell in row if cell.origin))
        return "\n".join(lines)


class GridBuilder:
    """Places cells with row and column spans on a grid (HTML rowspan/colspan, DOCX gridSpan/vMerge)."""

    def __init__(self) -> None:
        self._grid: dict[tuple[int, int], Cell] = {}
        self._row = -1
        self._col = 0

    def new_row(self) -> None:
        self._row += 1
        self._col = 0

    def add(self, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        grid, row, col = self._grid, self._row, self._col
        while (row, col) in grid:
            col += 1
        if rowspan == 1 and colspan == 1:  # most cells: no loops
            grid[(row, col)] = Cell(text)
            self._col = col + 1
            return
        # Spans are capped: a malformed rowspan="65535" must not allocate millions of cells.
        rowspan = max(1, min(rowspan, 200))
        colspan = max(1, min(colspan, 50))
        for dr in range(rowspan):
            for dc in range(colspan):
                grid[(row + dr, col + dc)] = Cell(text, dr == 0 and dc == 0, dc > 0)
        self._col = col + colspan

    def table(self, drop_empty_rows: bool = False) -> Table:
        """The grid, with empty positions filled; without rows where nothing was placed if asked (an HTML <tr>
        that no cell and no span reaches)."""
        if not self._grid:
            return Table([])
        height = self._row + 1
        width = max(col for _, col in self._grid) + 1
        get, empty = self._grid.get, Cell("", origin=False)
        rows = [[get((r, c)) or empty for c in range(width)] for r in range(height)]
        if drop_empty_rows:
            rows = [row for row in rows if any(cell.origin or cell.text for cell in row)]
        return Table(rows)
