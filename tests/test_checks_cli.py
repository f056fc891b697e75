"""`nianbao check` end to end: documents ingested into a real SQLite store, findings written and resolved."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from checks_factory import ACTIVE_2021, REQUESTS_2021, REVIEWS
from click.testing import CliRunner

from db.store import Store
from nianbao.cli import main
from parsers.schema import template_keys
from samples.model import SampleReport
from samples.render import render

COUNTY = "140525"


def sample(agency: str, year: int, published_on: date, **cells: int) -> bytes:
    """An HTML report page of template 2021 whose sums all hold, except for the cells given."""
    values: dict = dict.fromkeys(template_keys("2021"), 0)
    values.update({**REQUESTS_2021, **REVIEWS, **ACTIVE_2021})
    values.update({key.replace("__", "."): value for key, value in cells.items()})
    report = SampleReport(agency=agency, year=year, template="2021", values=values, published_on=published_on,
                          stated_received=4)
    return render(report, "html")


def ingest(db_path: Path, url: str, data: bytes) -> None:
    with Store.open(db_path) as store:
        store.upsert_county(COUNTY, "泽州县", "http://127.0.0.1/zezhou/")
        outcome = store.ingest(data, url=url, county_code=COUNTY, content_type="text/html")
        assert outcome.status in ("new", "changed"), outcome.error


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store with 泽州县教育局 2022 (clean) and 2023 (予以公开 总计 3 instead of 2, published 2024-02-05),
    and 泽州县人力资源和社会保障局 2022 with no 2023 report."""
    path = tmp_path / "nianbao.db"
    ingest(path, "http://127.0.0.1/jyj/2022.html",
           sample("泽州县教育局", 2022, date(2023, 1, 20), active__normative_documents__in_force=4,
                  active__licensing__decisions=100))
    ingest(path, "http://127.0.0.1/jyj/2023.html",
           sample("泽州县教育局", 2023, date(2024, 2, 5), requests__granted__total=3))
    ingest(path, "http://127.0.0.1/rsj/2022.html",
           sample("泽州县人力资源和社会保障局", 2022, date(2023, 1, 18), active__licensing__decisions=7))
    return path


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
    ingest(db_path, "http://127.0.0.1/jyj/2023.html", sample("泽州县教育局", 2023, date(2024, 1, 25)))
    assert {f["rule"] for f in check(db_path)} == {"missing_report"}
    resolved = {(rule, year) for rule, _, year, *_, is_resolved in findings_table(db_path) if is_resolved}
    assert resolved == {("row_total", 2023), ("results_total", 2023), ("late", 2023)}


def test_check_summary_by_rule_and_severity(db_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("3 reports checked · 4 findings · new 4")
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
