"""Score the parser against hand-read cases: folders holding input.* and expected.json (tests/real, tests/golden).

A case's expected.json is typed in by a person reading the document: `agency`, `year`, `template`, `kind`,
optionally `published_on`, and `values` {spec key: number, or null for a blank cell}. An optional misses.json
lists what nianbao is known to read wrong today, each with its reason:
`{"fields": {"agency": "why"}, "cells": {"requests.granted.total": "why"}}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers import ParseError, detect_format, parse_file

FIELDS = ("agency", "year", "template", "kind", "published_on")


class CaseError(Exception):
    """A case folder that cannot be scored: no single input, or a broken expected.json / misses.json."""


@dataclass
class CaseScore:
    name: str
    format: str
    fields_total: int = 0
    wrong_fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name: (expected, got)
    cells_total: int = 0
    wrong_cells: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key: (expected, got or "missing")
    unexpected_cells: list[str] = field(default_factory=list)  # template keys read that the document lacks
    error: str | None = None  # the parser's error message when it could not read the document at all

    @property
    def fields_right(self) -> int:
        return self.fields_total - len(self.wrong_fields)

    @property
    def cells_right(self) -> int:
        return self.cells_total - len(self.wrong_cells)

    @property
    def exact(self) -> bool:
        return not self.wrong_fields and not self.wrong_cells and not self.unexpected_cells and not self.error

    def missed_fields(self) -> set[str]:
        """Names of the fields read wrong."""
        return set(self.wrong_fields)

    def missed_cells(self) -> set[str]:
        """Keys of the cells read wrong, plus template keys read that the document does not have."""
        return set(self.wrong_cells) | set(self.unexpected_cells)


def case_folders(folders: Iterable[Path]) -> list[Path]:
    """Every case under the given folders (a folder that itself holds expected.json is one case)."""
    cases: list[Path] = []
    for folder in folders:
        if (folder / "expected.json").is_file():
            cases.append(folder)
            continue
        cases.extend(sorted(p for p in folder.iterdir() if p.is_dir() and (p / "expected.json").is_file()))
    return cases


def input_of(case: Path) -> Path:
    """The one input.* file of a case."""
    inputs = sorted(case.glob("input.*"))
    if len(inputs) != 1:
        raise CaseError(f"{case}: expected exactly one input.* file, found {len(inputs)}")
    return inputs[0]


def load_json(path: Path) -> dict[str, Any]:
    """A JSON object from a case file, with a clear error naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CaseError(f"{path}: not readable JSON ({error})") from error
    if not isinstance(data, dict):
        raise CaseError(f"{path}: expected a JSON object")
    return data


def load_misses(case: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The known misses of a case (fields, cells), each name mapped to its reason; empty when none are listed."""
    path = case / "misses.json"
    if not path.exists():
        return {}, {}
    data = load_json(path)
    unknown = set(data) - {"fields", "cells"}
    if unknown:
        raise CaseError(f"{path}: unknown sections {sorted(unknown)} (only 'fields' and 'cells')")
    fields, cells = data.get("fields", {}), data.get("cells", {})
    for section, entries in (("fields", fields), ("cells", cells)):
        for name, reason in entries.items():
            if not isinstance(reason, str) or not reason.strip():
                raise CaseError(f"{path}: {section}[{name}] needs its reason")
    return fields, cells


def _format_of(source: Path) -> str:
    try:
        return detect_format(source.read_bytes(), str(source))
    except ParseError:
        return source.suffix.lstrip(".") or "unknown"


def score_case(case: Path) -> CaseScore:
    """Parse one case's input and compare it with its expected.json."""
    expected = load_json(case / "expected.json")
    if not isinstance(expected.get("values"), dict):
        raise CaseError(f"{case / 'expected.json'}: 'values' must be an object of spec keys")
    source = input_of(case)
    score = CaseScore(case.name, _format_of(source))
    names = [name for name in FIELDS if name in expected]
    wanted = {key: value for key, value in expected["values"].items() if not key.startswith("extra.")}
    score.fields_total, score.cells_total = len(names), len(wanted)
    try:
        parsed = parse_file(source).to_json()
    except ParseError as error:
        score.error = str(error)
        score.wrong_fields = {name: (expected[name], None) for name in names}
        score.wrong_cells = {key: (value, "missing") for key, value in wanted.items()}
        return score
    for name in names:
        if parsed.get(name) != expected[name]:
            score.wrong_fields[name] = (expected[name], parsed.get(name))
    read = {key: value for key, value in parsed["values"].items() if not key.startswith("extra.")}
    for key, value in wanted.items():
        if key not in read:
            score.wrong_cells[key] = (value, "missing")
        elif read[key] != value:
            score.wrong_cells[key] = (value, read[key])
    score.unexpected_cells = sorted(set(read) - set(wanted))
    return score


@dataclass
class Totals:
    documents: int = 0
    exact: int = 0
    fields_right: int = 0
    fields_total: int = 0
    cells_right: int = 0
    cells_total: int = 0

    def add(self, score: CaseScore) -> None:
        self.documents += 1
        self.exact += score.exact
        self.fields_right += score.fields_right
        self.fields_total += score.fields_total
        self.cells_right += score.cells_right
        self.cells_total += score.cells_total

    @property
    def all_right(self) -> int:
        return self.fields_right + self.cells_right

    @property
    def all_total(self) -> int:
        return self.fields_total + self.cells_total


def totals(scores: Iterable[CaseScore]) -> tuple[Totals, dict[str, Totals]]:
    """Totals over all scores, and per input format."""
    overall, by_format = Totals(), dict[str, Totals]()
    for score in scores:
        overall.add(score)
        by_format.setdefault(score.format, Totals()).add(score)
    return overall, dict(sorted(by_format.items()))


def summary_line(overall: Totals, label: str = "real reports") -> str:
    """The one-line corpus score `make test` prints: documents exact, fields (scalars and cells) right."""
    return f"{label}: {overall.exact}/{overall.documents} exact, {overall.all_right}/{overall.all_total} fields"
