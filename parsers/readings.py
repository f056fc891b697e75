"""The template's identities as a check on the parser's own reading of a row.

Where the same printed cells can be read more than one way (a column split, a blank cell that vanished,
a merged-cell copy, a 15-number window in a longer run), the reading that satisfies the template's
identity is preferred: 总计 = the six applicant columns (table 三), 总计 = 维持 + 纠正 + 其他 + 尚未审结
(table 四). When no other reading satisfies it, what is printed is kept: the document may really be
wrong, and the checks will say so.
"""

from __future__ import annotations

from collections.abc import Callable

from parsers.values import parse_value

Identity = Callable[[list[str]], "bool | None"]


def _number(raw: str) -> float | None:
    value = parse_value(raw)
    return float(value.number) if value.number is not None else None


def sums_to_last(cells: list[str]) -> bool | None:
    """Whether the last cell is the sum of the others; None when a cell is not a number (nothing to check)."""
    numbers = [_number(cell) for cell in cells]
    if numbers[-1] is None:
        return None
    parts = [number or 0.0 for number in numbers[:-1]]
    return abs(sum(parts) - numbers[-1]) < 1e-6


def reviews_balance(cells: list[str]) -> bool | None:
    """Whether each group of five of table 四 has 总计 = the four results; None when it cannot be told."""
    results = [sums_to_last(cells[index:index + 5]) for index in (0, 5, 10)]
    if any(result is False for result in results):
        return False
    return None if all(result is None for result in results) else True


def without_one(values: list[str], expected: int) -> list[list[str]]:
    """Every reading of a row with one cell too many (a 小计 column, a stray number): drop one of them."""
    if len(values) != expected + 1:
        return []
    return [values[:index] + values[index + 1:] for index in range(len(values))]


def split_run_together(values: list[str]) -> list[str]:
    """Cells holding two numbers with a space between (`13 4`: a ruling line the reader missed) cut in two."""
    cells: list[str] = []
    for value in values:
        tokens = value.split()
        if len(tokens) > 1 and all(parse_value(token).state == "number" for token in tokens):
            cells.extend(tokens)
        else:
            cells.append(value)
    return cells


def windows(values: list[str], size: int) -> list[list[str]]:
    """Every run of `size` consecutive cells."""
    return [values[start:start + size] for start in range(len(values) - size + 1)]


def settle(default: list[str] | None, others: list[list[str]], holds: Identity) -> tuple[list[str] | None, str]:
    """The reading to keep and why: (cells, "") when the default holds or nothing better exists;
    (cells, "other") when one other reading satisfies the identity and the default does not;
    (default, "doubt") when the default breaks it and the others leave the choice open."""
    if not others:
        return default, ""  # one reading only: the checks judge it
    if default is not None and holds(default) is not False:
        return default, ""
    fitting: list[list[str]] = []
    for cells in others:
        if holds(cells) and cells not in fitting:
            fitting.append(cells)
    if len(fitting) == 1:
        return fitting[0], "other"
    return default, "doubt" if others else ""
