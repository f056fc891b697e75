"""Let the template's arithmetic judge an OCR reading.

A misread digit almost always breaks an identity of the statistics tables (a row's 总计, a column's 勾稽,
a review total). For each broken identity the cells involved are read again from other views of the image,
and a re-reading that makes the identity hold (without breaking another one that held) is kept; when none
does, the cells stay as first read and are marked uncertain. Cells no identity covers (section 二) are
uncertain when their re-readings disagree with the first reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from parsers.schema import REQUEST_COLUMNS, RESULT_ROW_PREFIXES, REVIEW_ROWS, rows_of
from parsers.values import parse_value

Reread = Callable[[str], list[str]]  # key → texts read from other views of its cell


@dataclass(frozen=True)
class Identity:
    """sum(left) == sum(right), as the template prints it."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return self.left + self.right


def identities(template: str) -> list[Identity]:
    """The identities of tables 三 and 四 for a template."""
    found: list[Identity] = []
    applicants = [column.key for column in REQUEST_COLUMNS if column.key != "total"]
    rows = [row.key for row in rows_of("requests", template)]
    for row in rows:
        found.append(Identity(f"三 {row} 总计", (f"requests.{row}.total",),
                              tuple(f"requests.{row}.{column}" for column in applicants)))
    results = [row for row in rows if row.startswith(RESULT_ROW_PREFIXES)]
    for column in REQUEST_COLUMNS:
        found.append(Identity(f"三 {column.label} 勾稽",
                              (f"requests.received.{column.key}", f"requests.carried_over.{column.key}"),
                              (f"requests.results_total.{column.key}", f"requests.carried_forward.{column.key}")))
        found.append(Identity(f"三 {column.label} 办理结果总计", (f"requests.results_total.{column.key}",),
                              tuple(f"requests.{row}.{column.key}" for row in results)))
    for review in REVIEW_ROWS:
        parts = ("upheld", "corrected", "other", "pending")
        found.append(Identity(f"四 {review.label} 总计", (f"reviews.{review.key}.total",),
                              tuple(f"reviews.{review.key}.{part}" for part in parts)))
    return found


def _number(text: str) -> float | None:
    value = parse_value(text)
    if value.state == "blank" or value.state == "none":
        return 0
    return value.number if value.state == "number" else None


class _Judge:
    def __init__(self, texts: dict[str, str], template: str) -> None:
        self.texts = texts
        self.identities = [i for i in identities(template) if all(key in texts for key in i.keys)]

    def holds(self, identity: Identity) -> bool:
        values = [_number(self.texts[key]) for key in identity.keys]
        if any(value is None for value in values):
            return False
        left = sum(values[:len(identity.left)])  # type: ignore[arg-type]
        return abs(left - sum(values[len(identity.left):])) < 1e-6  # type: ignore[arg-type]

    def fits(self, key: str, text: str, broken: Identity) -> bool:
        """Whether reading `text` in `key` mends `broken` and keeps every identity of the key that held."""
        before = {i: self.holds(i) for i in self.identities if key in i.keys}
        old = self.texts[key]
        self.texts[key] = text
        try:
            return self.holds(broken) and all(self.holds(i) for i, held in before.items() if held)
        finally:
            self.texts[key] = old


def verify(texts: dict[str, str], scores: dict[str, float], template: str, reread: Reread) -> tuple[dict[str, str],
                                                                                                        set[str]]:
    """(texts corrected by re-reads, keys still uncertain). `texts` holds the first reading of each key."""
    judge = _Judge(dict(texts), template)
    cache: dict[str, list[str]] = {}

    def alternatives(key: str) -> list[str]:
        if key not in cache:
            readings = [text for text in reread(key) if _number(text) is not None and text.strip()]
            cache[key] = [text for text, _ in Counter(readings).most_common()]
        return cache[key]

    for _ in range(3):
        changed = False
        for identity in judge.identities:
            if judge.holds(identity):
                continue
            for key in sorted(identity.keys, key=lambda k: scores.get(k, 1.0)):
                mend = next((text for text in alternatives(key) if text != judge.texts[key]
                             and judge.fits(key, text, identity)), None)
                if mend is not None:
                    judge.texts[key] = mend
                    changed = True
                    break
        if not changed:
            break
    uncertain = {key for identity in judge.identities if not judge.holds(identity) for key in identity.keys}
    covered = {key for identity in judge.identities for key in identity.keys}
    for key in texts:
        if key in covered or key.startswith("extra."):
            continue
        readings = alternatives(key)
        first = _number(judge.texts[key])
        if first is None or (readings and _number(readings[0]) != first):
            uncertain.add(key)
    return judge.texts, uncertain
