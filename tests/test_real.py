"""Real reports written by government offices (tests/real/<case>/): nianbao reads each exactly as a person did,
except the misses listed in the case's misses.json with their reasons. A fixed miss must leave misses.json;
a new miss fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.accuracy import case_folders, input_of, load_json, load_misses, score_case
from parsers.schema import template_keys

REAL = Path(__file__).parent / "real"
CASES = case_folders([REAL])
KINDS = ("department", "government")


def test_corpus_has_cases_and_sources() -> None:
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert CASES, "tests/real holds no cases"
    unlisted = [case.name for case in CASES if f"| {case.name} |" not in sources]
    assert not unlisted, f"cases without a provenance row in SOURCES.md: {unlisted}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_expected_is_well_formed(case: Path) -> None:
    expected = load_json(case / "expected.json")
    input_of(case)
    assert expected["template"] in ("2019", "2021", "pre2019")
    assert expected["kind"] in KINDS
    assert isinstance(expected["agency"], str) and expected["agency"]
    assert isinstance(expected["year"], int)
    keys = template_keys(expected["template"])
    foreign = [key for key in expected["values"] if not key.startswith("extra.") and key not in keys]
    assert not foreign, f"{case.name}: keys not in template {expected['template']}: {foreign}"
    for key, value in expected["values"].items():
        assert value is None or (isinstance(value, int | float) and not isinstance(value, bool)), key


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_real_report_reads_as_hand_read_except_listed_misses(case: Path) -> None:
    listed_fields, listed_cells = load_misses(case)
    score = score_case(case)

    new_fields = {k: v for k, v in score.wrong_fields.items() if k not in listed_fields}
    fixed_fields = sorted(set(listed_fields) - score.missed_fields())
    missed = score.missed_cells()
    new_cells = {k: score.wrong_cells.get(k, "read, but the document has no such cell")
                 for k in sorted(missed - set(listed_cells))}
    fixed_cells = sorted(set(listed_cells) - missed)
    assert not new_fields and not new_cells, (
        f"{case.name}: new misses (expected, read): fields {new_fields}, cells {dict(list(new_cells.items())[:15])}"
        + (f"; parse error: {score.error}" if score.error else "")
    )
    assert not fixed_fields and not fixed_cells, (
        f"{case.name}: now read right, remove from misses.json: fields {fixed_fields}, cells {fixed_cells}"
    )


def test_accuracy_summary_line_counts_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    import runpy

    bench = runpy.run_path(str(Path(__file__).parent.parent / "bench" / "accuracy.py"))
    assert bench["main"](["--summary", str(REAL)]) == 0
    line = capsys.readouterr().out.strip()
    match = re.fullmatch(r"real reports: (\d+)/(\d+) exact, (\d+)/(\d+) fields", line)
    assert match, line
    assert int(match[2]) == len(CASES) and int(match[1]) <= int(match[2]) and int(match[3]) <= int(match[4])


def test_a_miss_without_its_reason_is_refused(tmp_path: Path) -> None:
    from nianbao.accuracy import CaseError

    case = tmp_path / "case"
    case.mkdir()
    (case / "misses.json").write_text('{"cells": {"requests.granted.total": ""}}', encoding="utf-8")
    with pytest.raises(CaseError, match=r"misses\.json: cells\[requests\.granted\.total\] needs its reason"):
        load_misses(case)
