"""Chinese names of tables, rows and cells, for messages a county official reads."""

from __future__ import annotations

from typing import cast

from parsers.report import ParsedReport
from parsers.schema import key_info
from parsers.values import Number

TABLE_NAMES = {"active": "主动公开情况表", "requests": "申请情况表", "reviews": "复议诉讼情况表"}


def number_text(value: Number | None) -> str:
    """3 → "3", 0.35 → "0.35", None → "空白"."""
    if value is None:
        return "空白"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def row_label(key: str) -> str:
    """The row label of a cell key, e.g. requests.granted.total → 三（一）予以公开."""
    info = key_info(key)
    return info.row_label if info else key


def column_label(key: str) -> str:
    """The column label of a cell key, e.g. requests.granted.total → 总计."""
    info = key_info(key)
    return info.column_label if info else key.rsplit(".", 1)[-1]


def cell_label(key: str) -> str:
    """Where a cell is: 申请情况表"三（一）予以公开"行"总计"列."""
    info = key_info(key)
    if info is None:
        return key
    return f"{TABLE_NAMES[info.section]}“{info.row_label}”行“{info.column_label}”列"


def numbers(report: ParsedReport, keys: list[str]) -> list[Number] | None:
    """The numbers of these cells, or None when any is absent, blank or unreadable (cannot be summed)."""
    # Written with map/set operations in C: the sums call this ~55 times per report.
    found = list(map(report.values.get, keys))
    if None in found or not SUMMABLE.issuperset(map(report.states.get, keys)):
        return None
    return cast("list[Number]", found)


SUMMABLE = frozenset(("number", "none", None))  # None: no state recorded, read as a number
# Types of cells whose sums are exact (a sum of whole numbers needs no float tolerance): the rules' fast paths.
WHOLE_NUMBERS = frozenset((int,))


def same(a: Number, b: Number) -> bool:
    """Equal, allowing for float rounding in 万元 amounts."""
    return abs(a - b) < 1e-6
