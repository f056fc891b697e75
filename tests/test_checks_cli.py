"""`nianbao check` end to end: documents ingested into a real SQLite store, findings written and resolved."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from checks_factory import ingest_page, sample_page, zezhou_store
from click.testing import CliRunner

from db.store import Store
from nianbao.cli import main

COUNTY = "140525"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The 泽州县 store of checks_factory.zezhou_store (4 findings as of 2024-06-01)."""
    return zezhou_store(tmp_path / "nianbao.db")


def check(db_path: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--as-of", "2024-06-01", "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def findings_table(db_path: Path) -> list[tuple]:
    with Store.open(db_path) as store:
        return [tuple(row) for row in store.db.execute(
            "SELECT rule, agency, year, keys, expected, found, resolved_at IS NOT NULL FROM findings ORDER BY id")]


def test_check_json_lists_planted_defects(db_path: Path) -> None:
    found = {(f["rule"], f["agency"], f["year"], tuple(f["keys"]), f["expected"], f["found"]) for f in check(db_path)}
    assert found == {
        ("row_total", "泽州县教育局", 2023, ("requests.granted.total",), 2, 3),
        # 予以公开 3 + 部分公开 1 + 不掌握 1 = 5 results, but （七）总计 says 4.
        ("results_total", "泽州县教育局", 2023, ("requests.results_total.total",), 5, 4),
        ("late", "泽州县教育局", 2023, (), "2024-01-31", "2024-02-05"),
        ("missing_report", "泽州县人力资源和社会保障局", 2023, (), "2024-01-31", None),
    }


def test_check_json_line_has_the_fields_of_checks_md(db_path: Path) -> None:
    row_total = next(f for f in check(db_path) if f["rule"] == "row_total")
    assert list(row_total) == ["rule", "severity", "county", "agency", "year", "keys", "expected", "found",
                               "message", "url"]
    assert row_total["county"] == COUNTY
    assert row_total["url"] == "http://127.0.0.1/jyj/2023.html"
    assert row_total["message"] == "申请情况表“三（一）予以公开”行“总计”列与各申请人列之和不符：自然人2≠总计3"


def test_check_twice_updates_instead_of_duplicating(db_path: Path) -> None:
    check(db_path)
    check(db_path)
    rows = findings_table(db_path)
    assert len(rows) == 4
    assert all(not resolved for *_, resolved in rows)


def test_check_resolves_a_finding_whose_cause_is_gone(db_path: Path) -> None:
    check(db_path)
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html", sample_page("泽州县教育局", 2023, date(2024, 1, 25)))
    assert {f["rule"] for f in check(db_path)} == {"missing_report"}
    resolved = {(rule, year) for rule, _, year, *_, is_resolved in findings_table(db_path) if is_resolved}
    assert resolved == {("row_total", 2023), ("results_total", 2023), ("late", 2023)}


def test_check_summary_by_rule_and_severity(db_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("检查了 3 份报告 · 问题 4 项 · 新发现 4")
    assert any(line.split()[:4] == ["row_total", "1", "0", "0"] for line in lines)
    assert any(line.split()[:4] == ["missing_report", "1", "0", "0"] for line in lines)


def test_check_watch_list_adds_an_agency_without_history(db_path: Path, tmp_path: Path) -> None:
    watch = tmp_path / "agencies.csv"
    watch.write_text("county_code,agency,email\n140525,泽州县卫生健康局,wj@example.org\n", "utf-8")
    missing = {f["agency"] for f in check(db_path, "--watch", str(watch)) if f["rule"] == "missing_report"}
    assert missing == {"泽州县人力资源和社会保障局", "泽州县卫生健康局"}


def test_check_bad_watch_list_is_a_clear_error(db_path: Path, tmp_path: Path) -> None:
    watch = tmp_path / "agencies.csv"
    watch.write_text("14052,县卫健委\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--watch", str(watch)])
    assert result.exit_code == 2
    assert "agencies.csv:1" in result.output
