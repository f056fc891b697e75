"""Page geometry → blocks: ruled tables from drawn lines (lattice), text lines, borderless rows by x-gaps.

Works on plain tuples so it can be tested without a PDF; coordinates are PDF points, y grows upwards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from parsers.grid import Block, Cell, Paragraph, Table

_SNAP = 2.0  # points: lines this close are the same ruling line
_NUMBERISH = re.compile(r"^[\d.,/／\-—－+增减%万元件个项条]+$")


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    space_before: bool = False  # the PDF put a space character before this one

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Segment:
    """A horizontal (y, a=x0, b=x1) or vertical (x, a=y0, b=y1) ruling line."""

    at: float
    a: float
    b: float


@dataclass
class TextLine:
    chars: list[Char]
    top: float = 0.0
    bottom: float = 0.0
    left: float = 0.0
    right: float = 0.0
    parts: list[list[Char]] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def text(self, chars: list[Char] | None = None) -> str:
        return join_chars(chars if chars is not None else self.chars)


def join_chars(chars: list[Char]) -> str:
    """Characters of one visual line, left to right; a wide gap becomes one space."""
    out: list[str] = []
    previous: Char | None = None
    for char in chars:
        if previous is not None and (char.space_before or char.x0 - previous.x1 > 0.3 * (char.y1 - char.y0)):
            out.append(" ")
        out.append(char.text)
        previous = char
    return "".join(out)


def group_lines(chars: list[Char], tolerance: float = 0.45) -> list[TextLine]:
    """Characters → visual lines, top to bottom, by vertical centre (within `tolerance` × char height)."""
    lines: list[TextLine] = []
    for char in sorted(chars, key=lambda c: -c.cy):
        line = lines[-1] if lines else None
        height = char.y1 - char.y0
        if line is not None and abs(line.chars[-1].cy - char.cy) < tolerance * max(height, 1.0):
            line.chars.append(char)
        else:
            lines.append(TextLine([char]))
    for line in lines:
        line.chars.sort(key=lambda c: c.x0)
        line.top = max(c.y1 for c in line.chars)
        line.bottom = min(c.y0 for c in line.chars)
        line.left = line.chars[0].x0
        line.right = max(c.x1 for c in line.chars)
    return lines


# -- ruled tables --------------------------------------------------------------------------------------------


def _merge(segments: list[Segment]) -> list[Segment]:
    """Collinear, touching or overlapping segments → one."""
    merged: list[Segment] = []
    for seg in sorted(segments, key=lambda s: (round(s.at / _SNAP), s.a)):
        last = merged[-1] if merged else None
        if last and abs(last.at - seg.at) <= _SNAP and seg.a <= last.b + _SNAP:
            last.b = max(last.b, seg.b)
        else:
            merged.append(Segment(seg.at, seg.a, seg.b))
    return merged


def _cluster(values: list[float]) -> list[float]:
    result: list[float] = []
    for value in sorted(values):
        if not result or value - result[-1] > _SNAP:
            result.append(value)
    return result


@dataclass
class _Lattice:
    xs: list[float]  # ascending
    ys: list[float]  # descending (top first)
    horizontal: list[Segment]
    vertical: list[Segment]

    def __post_init__(self) -> None:
        # Segments by the grid line they lie on, so a span test looks at one line's segments only.
        self._vertical_at = [[s for s in self.vertical if abs(s.at - x) <= _SNAP] for x in self.xs]
        self._horizontal_at = [[s for s in self.horizontal if abs(s.at - y) <= _SNAP] for y in self.ys]

    def has_vertical(self, column: int, y: float) -> bool:
        return any(s.a - _SNAP <= y <= s.b + _SNAP for s in self._vertical_at[column])

    def has_horizontal(self, row: int, x: float) -> bool:
        return any(s.a - _SNAP <= x <= s.b + _SNAP for s in self._horizontal_at[row])

    def split(self, chars: list[Char]) -> tuple[list[Char], list[Char]]:
        """The characters inside the table's frame and the others."""
        inside: list[Char] = []
        outside: list[Char] = []
        left, right, bottom, top = self.xs[0], self.xs[-1], self.ys[-1], self.ys[0]
        for char in chars:
            x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
            (inside if left < x < right and bottom < y < top else outside).append(char)
        return inside, outside


def find_lattices(horizontal: list[Segment], vertical: list[Segment]) -> list[_Lattice]:
    """Groups of crossing ruling lines with at least 1 row and 2 columns: the ruled tables of a page."""
    hs = [s for s in _merge(horizontal) if s.b - s.a > 3]
    vs = [s for s in _merge(vertical) if s.b - s.a > 3]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.a - _SNAP <= v.at <= h.b + _SNAP and v.a - _SNAP <= h.at <= v.b + _SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    lattices = []
    loose = sorted((h for group_h, group_v in groups.values() if not group_v for h in group_h), key=lambda h: -h.at)
    for group_h, group_v in groups.values():
        if not group_h or not group_v:
            continue
        _attach_rules(group_h, loose)
        xs = _cluster([v.at for v in group_v])
        ys = _cluster([h.at for h in group_h])
        # A table without its outer frame: the lines reaching past the last crossing line close it.
        left, right = min(h.a for h in group_h), max(h.b for h in group_h)
        bottom, top = min(v.a for v in group_v), max(v.b for v in group_v)
        xs = ([left] if left < xs[0] - 2 * _SNAP else []) + xs + ([right] if right > xs[-1] + 2 * _SNAP else [])
        ys = ([bottom] if bottom < ys[0] - 2 * _SNAP else []) + ys + ([top] if top > ys[-1] + 2 * _SNAP else [])
        # One column is a frame drawn around text (some reports box the whole page), not a table.
        if len(xs) >= 3 and len(ys) >= 2:
            lattices.append(_Lattice(xs, ys[::-1], group_h, group_v))
    return lattices


def _attach_rules(group_h: list[Segment], loose: list[Segment]) -> None:
    """Rules crossing no column line right above or below a table (a caption row spanning every column of a
    table without outer frame) belong to it."""
    left, right = min(h.a for h in group_h), max(h.b for h in group_h)
    ys = sorted(h.at for h in group_h)
    pitch = max((b - a for a, b in zip(ys, ys[1:], strict=False)), default=20.0)
    changed = True
    while changed:
        changed = False
        for rule in loose:
            covers = rule.a <= left + 2 * _SNAP and rule.b >= right - 2 * _SNAP
            near = 0 < ys[0] - rule.at <= 1.5 * pitch or 0 < rule.at - ys[-1] <= 1.5 * pitch
            if covers and near and rule not in group_h:
                group_h.append(rule)
                ys = sorted(h.at for h in group_h)
                changed = True


def lattice_table(lattice: _Lattice, chars: list[Char]) -> Table:
    """The grid of a ruled table: spans where a ruling line is missing, each cell's text line by line."""
    xs, ys = lattice.xs, lattice.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in owner:
                continue
            y_mid = (ys[r] + ys[r + 1]) / 2
            width = 1
            while c + width < n_cols and not lattice.has_vertical(c + width, y_mid) \
                    and (r, c + width) not in owner:
                width += 1
            x_mid = (xs[c] + xs[c + 1]) / 2
            height = 1
            while r + height < n_rows and not lattice.has_horizontal(r + height, x_mid):
                height += 1
            for dr in range(height):
                for dc in range(width):
                    owner.setdefault((r + dr, c + dc), (r, c))
    neg_ys = [-y for y in ys]
    texts: dict[tuple[int, int], list[Char]] = {}
    for char in chars:
        c = bisect_right(xs, (char.x0 + char.x1) / 2) - 1
        r = bisect_right(neg_ys, -char.cy) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols:
            texts.setdefault(owner[(r, c)], []).append(char)
    cell_text = {key: "\n".join(line.text() for line in group_lines(found)) for key, found in texts.items()}
    rows = []
    for r in range(n_rows):
        row = []
        for c in range(n_cols):
            origin = owner[(r, c)]
            row.append(Cell(cell_text.get(origin, ""), origin=origin == (r, c), from_left=c > origin[1]))
        rows.append(row)
    return Table(rows)


def _furniture(block: Block) -> bool:
    """A running header or page number (- 3 -, 第3页) between the parts of a table split over pages."""
    return isinstance(block, Paragraph) and len(block.text.strip()) <= 12


def join_split_row(before: list[Block], page: list[Block]) -> None:
    """A table row broken over a page end: its rest (label text only, no numbers) rejoins the row.

    Word and LibreOffice let a row break across pages; the next page's table then starts with a row
    holding only the end of the label (属于三类内部事务 | 信息). A repeated header row is left alone:
    it has text above the previous row's numbers.
    """
    last = next((b for b in reversed(before) if not _furniture(b)), None)
    first_index = next((i for i, b in enumerate(page) if not _furniture(b)), None)
    if not isinstance(last, Table) or first_index is None or not last.rows:
        return
    first = page[first_index]
    if not isinstance(first, Table) or not first.rows or len(first.rows[0]) != len(last.rows[-1]):
        return
    tail, head = last.rows[-1], first.rows[0]
    if not any(_is_value(cell.text) for cell in tail):
        return
    for cell, above in zip(head, tail, strict=True):
        if cell.text and (_is_value(cell.text) or not above.text or _is_value(above.text)):
            return
    for cell, above in zip(head, tail, strict=True):
        if cell.text and cell.origin:
            above.text += "\n" + cell.text
    del first.rows[0]
    if not first.rows:
        del page[first_index]


# -- text outside ruled tables ---------------------------------------------------------------------------------


def split_parts(line: TextLine) -> list[list[Char]]:
    """A line cut where the gap between characters is wide: the cells of a borderless table row."""
    parts: list[list[Char]] = [[line.chars[0]]]
    for previous, char in zip(line.chars, line.chars[1:], strict=False):
        height = max(char.y1 - char.y0, 1.0)
        if char.x0 - previous.x1 > max(1.5 * height, 8.0):
            parts.append([char])
        else:
            parts[-1].append(char)
    return parts


def _is_value(text: str) -> bool:
    return bool(_NUMBERISH.match(text))


def _first_value_x(line: TextLine) -> float | None:
    """Left edge of the first value-like part of a multi-part line (its numbers), else None."""
    if len(line.parts) < 2:
        return None
    return next((p[0].x0 for p in line.parts if _is_value(join_chars(p))), None)


def _is_fragment(lines: list[TextLine], index: int) -> bool:
    """A short one-part line close above or below a row with numbers, left of them: a wrapped label."""
    line = lines[index]
    text = line.text()
    if len(line.parts) != 1 or _is_value(text) or len(text) > 40:
        return False
    height = line.top - line.bottom
    for other in lines[max(0, index - 2): index + 3]:
        first_value = _first_value_x(other)
        if first_value is not None and line.right < first_value and abs(other.cy - line.cy) <= 1.8 * height:
            return True
    # A group label centred over several rows (（六）其他处理) lies between rows with numbers, left of them.
    above = next((_first_value_x(other) for other in reversed(lines[max(0, index - 3):index])
                  if _first_value_x(other) is not None), None)
    below = next((_first_value_x(other) for other in lines[index + 1:index + 4] if _first_value_x(other) is not None),
                 None)
    return above is not None and below is not None and line.right < min(above, below)


def text_blocks(lines: list[TextLine], left_margin: float, right_margin: float) -> list[tuple[float, Block]]:
    """Lines → (top, block): multi-part lines become table rows, wrapped narrative lines one paragraph."""
    for line in lines:
        line.parts = split_parts(line)
    in_table = [len(line.parts) >= 2 or _is_fragment(lines, i) for i, line in enumerate(lines)]
    blocks: list[tuple[float, Block]] = []
    rows: list[TextLine] = []
    paragraph: list[TextLine] = []

    def flush_rows() -> None:
        if rows:
            blocks.append((rows[0].top, Table.from_texts(_merge_wrapped(rows))))
            rows.clear()

    def flush_paragraph() -> None:
        if paragraph:
            text = paragraph[0].text()
            for line in paragraph[1:]:
                sep = " " if text[-1:].isascii() and line.chars[0].text.isascii() else ""
                text += sep + line.text()
            blocks.append((paragraph[0].top, Paragraph(text)))
            paragraph.clear()

    for line, tabular in zip(lines, in_table, strict=True):
        if tabular:
            flush_paragraph()
            rows.append(line)
            continue
        flush_rows()
        previous = paragraph[-1] if paragraph else None
        if previous and _continues(previous, line, left_margin, right_margin):
            paragraph.append(line)  # a narrative line wrapped at the right margin continues at the left one
        else:
            flush_paragraph()
            paragraph.append(line)
    flush_rows()
    flush_paragraph()
    return blocks


def _continues(previous: TextLine, line: TextLine, left_margin: float, right_margin: float) -> bool:
    """Same type size, the previous line full to the right margin, this one back at the left margin."""
    height = line.top - line.bottom
    return (abs((previous.top - previous.bottom) - height) < 0.15 * height
            and previous.right >= right_margin - 2 * height and previous.bottom - line.top < 1.2 * height
            and previous.left <= left_margin + 2.5 * height and line.left <= left_margin + 0.5 * height)


def _merge_wrapped(lines: list[TextLine]) -> list[list[str]]:
    """Borderless rows: each wrapped label fragment joins the nearest row with numbers (above or below).

    Labels of one row are grouped by column (left edge) and read top to bottom; the numbers follow.
    """
    anchors = [i for i, line in enumerate(lines) if _first_value_x(line) is not None]
    attached: dict[int, list[list[Char]]] = {i: [] for i in anchors}
    own_rows: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        if i in attached:
            continue
        height = line.top - line.bottom
        near = [a for a in anchors if abs(lines[a].cy - line.cy) <= 1.8 * height
                and line.right < (_first_value_x(lines[a]) or 0.0)] if len(line.parts) == 1 else []
        if near:
            attached[min(near, key=lambda a: abs(lines[a].cy - line.cy))].append(line.chars)
        else:
            own_rows[i] = [join_chars(part) for part in line.parts]
    result: list[list[str]] = []
    for i in range(len(lines)):
        if i in own_rows:
            result.append(own_rows[i])
        elif i in attached:
            result.append(_anchor_row(lines[i], attached[i]))
    return result


def _anchor_row(line: TextLine, fragments: list[list[Char]]) -> list[str]:
    first_value = _first_value_x(line) or 0.0
    labels = [part for part in line.parts if part[0].x0 < first_value] + fragments
    values = [join_chars(part) for part in line.parts if part[0].x0 >= first_value]
    height = max(line.top - line.bottom, 1.0)
    columns: list[list[list[Char]]] = []
    for piece in sorted(labels, key=lambda p: p[0].x0):
        if columns and piece[0].x0 - columns[-1][0][0].x0 < 1.5 * height:
            columns[-1].append(piece)
        else:
            columns.append([piece])
    label_cells = ["".join(join_chars(p) for p in sorted(column, key=lambda p: -p[0].cy)) for column in columns]
    return label_cells + values
