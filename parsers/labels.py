"""Tolerant row-label matching against the template's closed vocabulary (parsers/schema.py).

Real reports misspell labels (`2.其他法律行政止公开`, a character missing) and PDF text layers run the
characters of a vertical merged label into the row label beside it (`理结2.其他法律行政止公开`, from
`办理结果` printed one character per line). Exact keyword matching (parsers/rows.py) runs first; this
module is the fallback: strip merged-label fragments, then the closest template label by edit distance,
bounded by the label's length, and only when the best match is unique.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parsers.schema import ACTIVE_ROWS, REQUEST_ROWS, TEMPLATES

# Vertical merged labels of table 三 whose characters a text layer runs into the next row label.
_MERGED_LABELS = (
    "办理结果", "本年度办理结果", "申请人情况", "不予公开", "无法提供", "不予处理", "其他处理", "法人或其他组织",
)
_MERGED_CHARS = "".join(sorted(set("".join(_MERGED_LABELS))))
# 1–6 such characters glued before an enumerator: 理结2.… → 2.…, 办理结果(三)… → (三)…
_RUN_IN = re.compile(rf"^[{_MERGED_CHARS}]{{1,6}}(?=[(（][一二三四五六七]|\d{{1,2}}[.、．])")
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．]?)+")
_TEMPLATE_PREFIX = re.compile(r"^(?:[一二三四]、|三（[一二三四五六七]）(?:\d\.)?)")


def strip_run_in(label: str) -> str:
    """A row label without the characters of a vertical merged label run into its start."""
    if not label or label[0] not in _MERGED_CHARS:
        return label
    return _RUN_IN.sub("", label, count=1)


def item_text(label: str) -> str:
    """The label without its enumerators: （三）2.其他法律… → 其他法律…"""
    return _ENUMERATOR.sub("", label, count=1)


@dataclass(frozen=True)
class Match:
    key: str
    label: str  # the template's wording, without enumerators
    distance: int


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two short labels, or limit + 1 as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed_distance(label: str) -> int:
    """Edits tolerated for a template label: a quarter of its length, at most 4; none under 4 characters."""
    return 0 if len(label) < 4 else min(4, max(1, len(label) // 4 + (len(label) >= 10)))


@cache
def vocabulary(section: str, template: str) -> tuple[tuple[str, str], ...]:
    """(row key, label without enumerators) of a section's template rows; both templates when unknown."""
    templates = (template,) if template in TEMPLATES else TEMPLATES
    seen: dict[str, str] = {}
    for name in templates:
        rows = ACTIVE_ROWS[name] if section == "active" else REQUEST_ROWS[name]
        for row in rows:
            text = _TEMPLATE_PREFIX.sub("", row.label)
            if section == "requests" and row.key in ("results_total", "other_handling.other"):
                continue  # 总计 and 其他: two characters, matched exactly or not at all
            seen.setdefault(row.key, text)
    return tuple(seen.items())


def closest_row(label: str, section: str, template: str) -> Match | None:
    """The template row a misspelled label stands for: the unique nearest label within the allowed distance."""
    text = item_text(strip_run_in(label))
    if len(text) < 3:
        return None
    best: list[Match] = []
    near: list[int] = []  # distances of every label, within its own limit or not: a tie is no reading
    for key, wording in vocabulary(section, template):
        limit = allowed_distance(wording)
        distance = edit_distance(text, wording, 4)
        near.append(distance)
        if distance <= limit:
            best.append(Match(key, wording, distance))
    if not best and len(text) >= 8:
        # A long label cut where it wrapped, its rest lost in the text layer: the one template label it begins.
        begun = [Match(key, wording, len(wording) - len(text)) for key, wording in vocabulary(section, template)
                 if wording.startswith(text)]
        return begun[0] if len(begun) == 1 else None
    if not best:
        return None
    best.sort(key=lambda match: match.distance)
    if sum(1 for distance in near if distance <= best[0].distance) > 1:
        return None  # two template rows as near: not a reading, a guess
    return best[0]


def rows_containing(label: str, section: str, template: str) -> list[Match]:
    """Template rows whose wording contains the label: a fragment of a label a dump broke over lines
    (`行政机关不再处理其政` is in both rows 1 and 2 of （六）其他处理; the table's order decides)."""
    text = item_text(strip_run_in(label))
    if len(text) < 6:
        return []
    return [Match(key, wording, len(wording) - len(text)) for key, wording in vocabulary(section, template)
            if text in wording]
