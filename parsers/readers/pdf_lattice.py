"""Ruled tables of a PDF page: drawn lines → a grid with spans (a missing line is a span), cell texts.

Also rejoins a table row that a page break cut in two. Coordinates are PDF points, y grows upwards.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from parsers.grid import Block, Cell, Paragraph, Table
from parsers.readers.pdf_lines import Char, group_lines, is_value

_SNAP = 2.0  # points: lines this close are the same ruling line


@dataclass
class Segment:
    """A horizontal (y, a=x0, b=x1) or vertical (x, a=y0, b=y1) ruling line."""

    at: float
    a: float
    b: float


def _merge(segments: list[Segment]) -> list[Segment]:
    """Collinear, touching or overlapping segments → one.

    Segments are grouped by position first, then merged along their extent: two tables on one page whose
    column lines nearly line up (x 250.9 above, 251.5 below) keep their own lines, else the lower table's
    line was swallowed by the upper one's and two of its columns read as one (a WPS report's table 四).
    """
    merged: list[Segment] = []
    group: list[Segment] = []

    def flush() -> None:
        pieces: list[Segment] = []
        for seg in sorted(group, key=lambda s: s.a):
            if pieces and seg.a <= pieces[-1].b + _SNAP:
                pieces[-1].b = max(pieces[-1].b, seg.b)
            else:
                pieces.append(Segment(seg.at, seg.a, seg.b))
        merged.extend(pieces)
        group.clear()

    for seg in sorted(segments, key=lambda s: s.at):
        if group and seg.at - group[-1].at > _SNAP:
            flush()
        group.append(seg)
    flush()
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
        """Whether column line `column` is drawn at height y (else the cells on both sides are one)."""
        return any(s.a - _SNAP <= y <= s.b + _SNAP for s in self._vertical_at[column])

    def has_horizontal(self, row: int, x: float) -> bool:
        """Whether row line `row` is drawn at x (else the cells above and below are one)."""
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

    # Verticals sorted by x: each horizontal looks only at those within its extent (pages of line art
    # hold thousands of segments).
    order = sorted(range(len(vs)), key=lambda j: vs[j].at)
    xs_sorted = [vs[j].at for j in order]
    for i, h in enumerate(hs):
        for k in range(bisect_left(xs_sorted, h.a - _SNAP), bisect_right(xs_sorted, h.b + _SNAP)):
            v = vs[order[k]]
            if v.a - _SNAP <= h.at <= v.b + _SNAP:
                parent[find(i)] = find(len(hs) + order[k])
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
    if not any(is_value(cell.text) for cell in tail):
        return
    for cell, above in zip(head, tail, strict=True):
        if cell.text and (is_value(cell.text) or not above.text or is_value(above.text)):
            return
    for cell, above in zip(head, tail, strict=True):
        if cell.text and cell.origin:
            above.text += "\n" + cell.text
    del first.rows[0]
    if not first.rows:
        del page[first_index]
