"""Cell values: the four states of docs/report-keys.md (number, none, blank, text) and units."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

CellState = Literal["number", "none", "blank", "text"]
Number = int | float

_NONE_WORDS = {"/", "\\", "—", "——", "-", "--", "―", "─", "无", "無", "空", "零", "〇", "无数据", "暂无", "—/—"}
# Only plain digit runs (ASCII after NFKC folds full-width ones), with the thousands commas real reports use.
_NUMBER = re.compile(
    r"^(?P<sign>[增减+\-]?)(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<fraction>\.[0-9]+)?"
    r"(?P<unit>万元|元|件|个|项|条|次|宗)?$"
)
_INVISIBLE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# Two digit runs with a space between (`1 2`, `10 5`) are two numbers or a typo, never one number.
_SPLIT_DIGITS = re.compile(r"[0-9][\s\u00a0\u3000]+[0-9]")
_PLAIN_DIGITS = frozenset("0123456789０１２３４５６７８９")
# 15 digits is beyond any count or amount in a report, and every such number is exact in a double.
MAX_DIGITS = 15


@dataclass(frozen=True)
class CellValue:
    raw: str
    state: CellState
    number: Number | None
    unit: str | None = None


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    return _INVISIBLE.sub("", text).replace("減", "减")


def _plain(raw: str) -> bool:
    """False when digits are not plain: ① ² ٣ (NFKC or \\d would read them as 1, 2, 3) or split by a space."""
    if any(char.isdigit() and char not in _PLAIN_DIGITS for char in raw):
        return False
    return _SPLIT_DIGITS.search(unicodedata.normalize("NFKC", raw)) is None


@lru_cache(maxsize=4096)
def parse_value(raw: str, money: bool = False) -> CellValue:
    """Read one cell: `3`, `增16`, `减3`, `71万元`, `251000元` (money → 万元), `/`, ``, `详见附件`."""
    text = _clean(raw)
    if not text:
        return CellValue(raw, "blank", None)
    if not _plain(raw):
        return CellValue(raw, "text", None)
    if text in _NONE_WORDS or set(text) <= set("/—-―─－"):
        return CellValue(raw, "none", 0)
    match = _NUMBER.match(text)
    if not match:
        return CellValue(raw, "text", None)
    digits = match["digits"].replace(",", "")
    fraction = match["fraction"] or ""
    if len(digits.lstrip("0")) + len(fraction) > MAX_DIGITS:
        return CellValue(raw, "text", None)
    unit = match["unit"]
    sign = -1 if match["sign"] in ("减", "-") else 1
    number: Number = float(digits + fraction) if fraction else int(digits)
    if money and unit == "元":
        number = round(number / 10000, 6)
    if isinstance(number, float) and number.is_integer() and not fraction:
        number = int(number)
    return CellValue(raw, "number", sign * number, unit)


@lru_cache(maxsize=4096)
def is_value_like(raw: str) -> bool:
    """True for a cell that holds a table value (number or placeholder), not a label."""
    state = parse_value(raw).state
    return state in ("number", "none")
