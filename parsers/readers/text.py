"""Plain-text dumps of reports, in the three flattened forms seen in real reports
(tests/golden/seed_000, seed_001, seed_004 are such dumps).

- one cell per line: Word table cells each on a line starting with a tab, rows separated
  by blank lines (seed_000, seed_001);
- tab-separated rows: one table row per line, cells split by tabs (seed_004);
- pipe rows: `| a | b | c |`, as markdown tables print them, and as converters do, often without the
  leading or trailing pipe and with empty cells collapsed (`第二十条第(一)项 | |||`).

A line is a table row by its cells, not by how it starts: a line holding a pipe is a pipe row whether
or not it opens with one. Labels and values are recognised later, by the template (parsers/extract.py).
"""

from __future__ import annotations

import re

from parsers.encoding import decode
from parsers.grid import Block, Document, Paragraph, Table
from parsers.normalize import label_key
from parsers.rows import ACTIVE_ROW_WORDS, REQUEST_ROW_WORDS, match_words
from parsers.values import is_value_like

_MARKDOWN_NOISE = re.compile(r"^\s*#+\s*|\*\*|^\s*>\s*")
# Box-drawing and full-width bars some converters print for the cell border.
_BARS = str.maketrans({"｜": "|", "│": "|", "┃": "|", "¦": "|"})
_WIDE_BAR = re.compile("[｜│┃¦]").search
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_ROW_WORDS = ACTIVE_ROW_WORDS + REQUEST_ROW_WORDS
# A line that may end in a table value: a digit, a placeholder (/ — - 无 空 零), or a unit after a number.
_VALUE_END = re.compile(r"[\d/／\\—\-－―─无無空零〇元件个项条次宗]$").search


def read_text(data: bytes, source: str, limits: object = None) -> Document:
    """Read a text dump; tables become grids, other lines paragraphs."""
    decoding: list[str] = []
    text = decode(data, source, warnings=decoding)
    text = _BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    if _is_one_cell_per_line(lines):
        document = Document(_read_cell_per_line(lines))
    else:
        document = Document(_read_row_per_line(lines))
    document.warnings += decoding
    return document


def _is_one_cell_per_line(lines: list[str]) -> bool:
    single = sum(1 for line in lines if re.fullmatch(r"\t[^\t]*", line))
    multi = sum(1 for line in lines if line.count("\t") >= 2 or (line.count("\t") == 1 and not line.startswith("\t")))
    return single >= 10 and single > 3 * multi


def _paragraph(line: str) -> Paragraph:
    return Paragraph(_MARKDOWN_NOISE.sub("", line).strip())


def _read_cell_per_line(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    row: list[str] = []

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def end_table() -> None:
        end_row()
        if rows:
            blocks.append(Table.from_texts(list(rows)))
            rows.clear()

    for line in lines:
        if line.startswith("\t"):
            row.append(line[1:].strip())
        elif not line.strip():
            end_row()
        else:
            end_table()
            blocks.append(_paragraph(line))
    end_table()
    return blocks


def _split_row(line: str) -> list[str] | None:
    """The cells of a table row line, [] for a markdown rule line, None for a line of text."""
    stripped = line.strip()
    piped = "|" in stripped
    if not piped and _WIDE_BAR(stripped):
        stripped, piped = stripped.translate(_BARS), True
    if piped:
        if _PIPE_RULE.match(stripped):
            return []
        # `a | |||`: leading and trailing pipes are borders, every inner pipe separates two cells.
        cells = [cell.strip() for cell in stripped.removeprefix("|").removesuffix("|").split("|")]
        if len(cells) >= 2:
            return cells
    if "\t" in line.strip("\n") and line.strip():
        cells = line.split("\t")
        return [cell.strip() for cell in cells]
    return None


def _label_then_values(line: str) -> list[str] | None:
    """`行政许可 97`, `一、本年新收政府信息公开申请数量 32 2 0 0 0 0 34`: a template label, then its values
    separated by spaces on the same line (a converter's dump of a borderless table)."""
    parts = line.split()
    if len(parts) < 2 or len(parts[0]) > 40 or not is_value_like(parts[-1]):
        return None
    first_value = len(parts)
    while first_value > 1 and is_value_like(parts[first_value - 1]):
        first_value -= 1
    label = "".join(parts[:first_value])
    if first_value > 2 or match_words(label_key(label), _ROW_WORDS) is None:
        return None
    return [label, *parts[first_value:]]


def _label_with_values(lines: list[str], index: int) -> tuple[list[str], int] | None:
    """A label line followed by its cells one per line (a table copied out of a PDF viewer):
    `一、本年新收政府信息公开申请数量` / `821` / `35` / `` / `` / `2` / `1` / `859` (an empty line is an empty
    cell). A row when two or more values follow, or one after a label of the template (`行政许可` / `7`)."""
    label = lines[index].strip()
    if not label or len(label) > 80:
        return None
    if _VALUE_END(label):
        same_line = _label_then_values(label)
        if same_line is not None:
            return same_line, index + 1
    # Most lines are narrative: a look at the next non-empty line settles them before any parsing.
    following = next((line.strip() for line in lines[index + 1:index + 4] if line.strip()), "")
    if not following or len(following) > 24 or not _VALUE_END(following) or is_value_like(label):
        return None
    values: list[str] = []
    end = index + 1
    while end < len(lines) and (not lines[end].strip() or is_value_like(lines[end].strip())) \
            and "\t" not in lines[end] and "|" not in lines[end]:
        values.append(lines[end].strip())
        end += 1
    while values and not values[-1]:
        values.pop()
        end -= 1
    count = sum(1 for value in values if value)
    if count >= 2 or (count == 1 and match_words(label_key(label), _ROW_WORDS) is not None):
        return [label, *values], end
    return None


def _read_row_per_line(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[str]] = []
    skip_to = 0
    for index, line in enumerate(lines):
        if index < skip_to:
            continue  # a value line already taken into the row above
        cells = _split_row(line)
        if cells is None:
            found = _label_with_values(lines, index) if line else None
            if found is not None:
                rows.append(found[0])
                skip_to = found[1]
                continue
            if rows and not line.strip():
                continue  # a blank line inside a table does not end it
            if rows:
                blocks.append(Table.from_texts(rows))
                rows = []
            if line.strip():
                blocks.append(_paragraph(line))
        elif cells:
            rows.append(cells)
    if rows:
        blocks.append(Table.from_texts(rows))
    return blocks
