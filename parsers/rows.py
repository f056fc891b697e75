"""Rows of a document, read as `label cells | value cells`, and matched to template row keys by label."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.normalize import compact, label_key
from parsers.values import is_value_like

_ENUMERATOR = re.compile(r"^(?:[(]?[一二三四五六七八九十]+[)]?[、.]?|\d{1,2}[.、]|\d{1,2}(?=[\u4e00-\u9fff]))")
_GROUP = re.compile(r"^\(([一二三四五六七])\)")


@dataclass
class Row:
    """One visual row: label cells (non-empty, normalized) and the raw value cells after them."""

    labels: list[str]
    values: list[str]
    is_paragraph: bool = False
    # The whole grid row, colspan copies blanked, so columns can be found by the header's positions.
    grid: list[str] = field(default_factory=list)
    table: int = -1  # which table block the row came from
    # For each grid position, where the cell covering it starts in this row (a colspan covers several);
    # None when no cell of the row spans columns.
    owners: list[int] | None = None
    _value_count: int | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return self.labels[-1] if self.labels else ""

    @property
    def text(self) -> str:
        return "".join(self.labels) + "".join(self.values)

    def value_count(self) -> int:
        if self._value_count is None:
            self._value_count = sum(1 for value in self.values if is_value_like(value))
        return self._value_count


def split_row(cells: list[str], grid: list[str] | None = None, table: int = -1,
              owners: list[int] | None = None) -> Row:
    """Labels are the non-empty cells before the first value-like cell; values follow the last label."""
    first_value = next((i for i, cell in enumerate(cells) if is_value_like(cell)), len(cells))
    label_positions = [i for i in range(first_value) if cells[i].strip()]
    start = label_positions[-1] + 1 if label_positions else 0
    labels = [label_key(cells[i]) for i in label_positions]
    grid = grid if grid is not None else list(cells)
    return Row(_dedupe(labels), cells[start:], grid=grid, table=table, owners=owners)


def header_positions(grid: list[str], names: tuple[str, ...]) -> dict[str, int]:
    """Where each column name stands in a header row (first match, labels normalized)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(grid):
        text = label_key(cell) if cell.strip() else ""
        for name in names:
            if name not in found and text == name:
                found[name] = index
    return found


def aligned_values(row: Row, header: Row | None, positions: list[int]) -> list[str] | None:
    """The row's cells under the header's columns, when the row is laid on the header's grid.

    Word's HTML of a table whose sub-tables have different column widths spans cells over a finer grid,
    differently in each row (上一年项目数量 over slots 2–3, its number in slot 2 and the 本年增/减 number
    over 3–4): a cell belongs to the header column its centre falls under, not to the slot it starts in.
    """
    if header is None or not positions or header.table != row.table or len(header.grid) != len(row.grid):
        return None
    under = _under_header(row, header, positions) if row.owners or header.owners else None
    if (row.owners or header.owners) and under is None:
        return None
    cells = under if under is not None else [row.grid[i] for i in positions]  # no spans: slot by slot
    if any(cell.strip() and not is_value_like(cell) and label_key(cell) in row.labels for cell in cells):
        return None  # a label stands where a number should: not the same grid
    return cells


def _under_header(row: Row, header: Row, positions: list[int]) -> list[str] | None:
    """For each header column (from `position` over the slots its colspan covers), the row's cell centred under it."""
    width = len(row.grid)
    row_owners = row.owners or list(range(width))
    header_owners = header.owners or list(range(width))
    first = min(positions)
    if row_owners[first:] == header_owners[first:]:
        return [row.grid[i] for i in positions]  # the same spans under the header: slot by slot
    ends: dict[int, int] = {}
    for index, owner in enumerate(row_owners):
        ends[owner] = index + 1
    cells: list[str] = []
    for position in positions:
        end = position + 1
        while end < width and header_owners[end] == position:
            end += 1
        filled = [row.grid[start] for start, stop in ends.items()
                  if position <= (start + stop) / 2 < end and row.grid[start].strip()]
        if len(filled) > 1:
            return None  # two numbers under one header column: not the same grid
        cells.append(filled[0] if filled else "")
    return cells


def _dedupe(labels: list[str]) -> list[str]:
    """A label spanning several grid columns arrives repeated: keep it once."""
    result: list[str] = []
    for label in labels:
        if not result or result[-1] != label:
            result.append(label)
    return result


def strip_enumerator(label: str) -> str:
    """(一)予以公开 → 予以公开; 1.属于国家秘密 → 属于国家秘密; 四、结转下年度继续办理 → 结转…."""
    return _ENUMERATOR.sub("", label, count=1)


def group_of(label: str) -> str | None:
    """The （N） enumerator of a result group label: (三)不予公开 → 三."""
    match = _GROUP.match(label)
    return match.group(1) if match else None


def fit_values(values: list[str], expected: int) -> list[str] | None:
    """Trim blank padding (trailing tabs, spanned label columns) down to the expected count, else None."""
    cells = list(values)
    while len(cells) > expected and not cells[-1].strip():
        cells.pop()
    while len(cells) > expected and not cells[0].strip():
        cells.pop(0)
    return cells if len(cells) == expected else None


# Section 二: row key → words its label contains, in matching order.
ACTIVE_ROW_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other_services", ("其他对外管理服务",)),
    ("normative_documents", ("规范性文件",)),
    ("regulations", ("规章",)),
    ("licensing", ("行政许可",)),
    ("penalty", ("行政处罚",)),
    ("coercion", ("行政强制",)),
    ("fees", ("行政事业性收费", "事业性收费")),
    ("procurement", ("政府集中采购", "集中采购")),
)

# Section 三: row key → words, in matching order (specific before general: 禁止公开 before 其他).
REQUEST_ROW_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received", ("本年新收", "新收政府信息公开申请")),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年度", "结转下年")),
    ("partially_granted", ("部分公开",)),
    ("granted", ("予以公开",)),
    ("denied.state_secret", ("国家秘密",)),
    ("denied.prohibited_by_law", ("禁止公开",)),
    ("denied.security_stability", ("三安全一稳定", "危及")),
    ("denied.third_party", ("第三方",)),
    ("denied.internal_affairs", ("内部事务", "工作秘密")),
    ("denied.process_info", ("过程性信息",)),
    ("denied.enforcement_file", ("行政执法案卷",)),
    ("denied.administrative_query", ("行政查询",)),
    ("unavailable.not_held", ("不掌握",)),
    ("unavailable.needs_creation", ("另行制作", "没有现成信息")),
    ("other_handling.no_correction", ("逾期不补正",)),
    ("unavailable.unclear", ("仍不明确", "补正后")),
    ("not_processed.petition", ("信访", "举报投诉")),
    ("not_processed.duplicate", ("重复申请",)),
    ("not_processed.publication", ("公开出版物",)),
    ("not_processed.excessive", ("大量反复",)),
    ("not_processed.confirmation", ("确认或重新出具", "重新出具")),
    ("other_handling.unpaid_fee", ("缴纳费用", "收费通知")),
)
# Group labels that the template prints with no numbers of their own (（三）不予公开 over its sub-rows).
SUBTOTAL_GROUPS = {"三": "denied", "四": "unavailable", "五": "not_processed", "六": "other_handling"}


def match_words(label: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The first row key whose words the label contains."""
    for key, words in table:
        if any(word in label for word in words):
            return key
    return None


def is_requests_header(row: Row) -> bool:
    """The header rows of table 三 (申请人情况, 自然人, 商业企业…) or its 勾稽 note."""
    text = compact("".join(row.labels))
    return any(word in text for word in ("申请人情况", "自然人", "商业企业", "勾稽关系", "法人或其他组织"))
