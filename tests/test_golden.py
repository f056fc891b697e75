"""Golden cases: every tests/golden/<case>/ holds input.* and an expected.json written by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from db.report_rows import parse_status
from parsers import parse_file

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith("_"))
SCALARS = ("agency", "year", "template", "published_on", "kind", "statistics_year", "agency_source")
LISTS = ("tables", "sections")
SUBSETS = ("states", "raw", "stated")


def _input_of(case: Path) -> Path:
    inputs = sorted(case.glob("input.*"))
    assert len(inputs) == 1, f"{case}: expected exactly one input.* file"
    return inputs[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_report_matches_hand_read_values(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    source = _input_of(case)
    if source.suffix in (".doc", ".wps") and shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: .doc/.wps cannot be read here")
    report = parse_file(source)
    parsed = report.to_json()
    if "parse_status" in expected:
        assert parse_status(report) == expected["parse_status"], f"{case.name}: parse_status ({report.warnings})"
    for part in expected.get("warnings_contain", []):
        assert any(part in warning for warning in parsed["warnings"]), f"{case.name}: no warning {part!r}"

    for name in SCALARS:
        if name in expected:
            assert parsed[name] == expected[name], f"{case.name}: {name}"
    for name in LISTS:
        if name in expected:
            assert sorted(parsed[name]) == sorted(expected[name]), f"{case.name}: {name}"
    for name in SUBSETS:
        for key, value in expected.get(name, {}).items():
            assert parsed[name].get(key) == value, f"{case.name}: {name}[{key}]"

    expected_values = expected["values"]
    template_values = {k: v for k, v in parsed["values"].items() if not k.startswith("extra.")}
    wanted = {k: v for k, v in expected_values.items() if not k.startswith("extra.")}
    missing = sorted(set(wanted) - set(template_values))
    unexpected = sorted(set(template_values) - set(wanted))
    wrong = {k: (wanted[k], template_values[k]) for k in wanted if k in template_values
             and template_values[k] != wanted[k]}
    assert not missing and not unexpected and not wrong, (
        f"{case.name}: missing {missing[:10]}, unexpected {unexpected[:10]}, wrong (expected, got) {wrong}"
    )
    for key, value in expected_values.items():
        if key.startswith("extra."):
            assert parsed["values"].get(key) == value, f"{case.name}: {key}"
