"""Characters of a PDF page → visual lines, paragraphs and borderless table rows (split at wide gaps).

Works on plain values so it can be tested without a PDF; coordinates are PDF points, y grows upwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.grid import Block, Paragraph, Table

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
        """Vertical centre."""
        return (self.y0 + self.y1) / 2


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
        """Vertical centre."""
        return (self.top + self.bottom) / 2

    def text(self, chars: list[Char] | None = None) -> str:
        """The line's text (or that of some of its characters)."""
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


def is_value(text: str) -> bool:
    """A number or placeholder as printed in a table cell (0, 12.5, 增16, 251000元, /)."""
    return bool(_NUMBERISH.match(text))


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


def _split_at_value_columns(lines: list[TextLine]) -> None:
    """Cut a number off the label it is printed close to, where other rows show a number column there.

    A long label filling its column leaves a gap narrower than a cell gap before the first number
    (`1.本机关不掌握相关政府信息 4`); the columns the other rows' numbers stand in tell where the cut is.
    """
    columns = sorted({round(part[0].x0) for line in lines if len(line.parts) >= 3
                      for part in line.parts[1:] if is_value(join_chars(part))})
    if not columns:
        return
    for line in lines:
        index = next((i for i, part in enumerate(line.parts) if is_value(join_chars(part))), len(line.parts))
        if index == 0:
            continue
        label = line.parts[index - 1]
        cut = len(label)
        while cut > 1 and label[cut - 1].text.isdigit():
            cut -= 1
        if cut == len(label) or cut <= 1 or label[cut - 1].text.isdigit():
            continue
        start, before = label[cut], label[cut - 1]
        height = max(start.y1 - start.y0, 1.0)
        near_column = any(abs(start.x0 - x) <= 2.0 for x in columns)
        if near_column and start.x0 - before.x1 > 0.5 * height:
            line.parts[index - 1:index] = [label[:cut], label[cut:]]


def _first_value_x(line: TextLine) -> float | None:
    """Left edge of the first value-like part of a multi-part line (its numbers), else None."""
    if len(line.parts) < 2:
        return None
    return next((p[0].x0 for p in line.parts if is_value(join_chars(p))), None)


def _is_fragment(lines: list[TextLine], index: int) -> bool:
    """A short one-part line close above or below a row with numbers, left of them: a wrapped label."""
    line = lines[index]
    text = line.text()
    if len(line.parts) != 1 or is_value(text) or len(text) > 40:
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
    _split_at_value_columns(lines)
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
