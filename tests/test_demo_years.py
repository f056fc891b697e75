"""Three springs of the demo world (`nianbao check --as-of` 2025, 2026, 2027): agencies that stop publishing stay
flagged until a person retires them. The demo world (samples/demo_world.py) publishes up to the 2024 reports; read
by hand: 青山县财政局 and 云溪县公安局 published 2022 and 2023, not 2024; nobody publishes 2025 or 2026."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo_years") / "demo-output"
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output / "nianbao.db"


def nianbao(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def missing(db: Path, county: str, agency: str) -> dict[int, tuple[int, str | None]]:
    """year → (finding id, resolved_at) of an agency's missing_report findings."""
    with sqlite3.connect(db) as conn:
        return {year: (finding_id, resolved) for finding_id, year, resolved in conn.execute(
            "SELECT id, year, resolved_at FROM findings WHERE rule = 'missing_report' AND county_code = ? "
            "AND agency = ? ORDER BY year", [county, agency])}


def test_three_springs_keep_missing_reports_open_until_retired(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "nianbao.db"
    shutil.copy(demo_db, db)
    spring_2025 = missing(db, "990101", "青山县财政局")
    assert list(spring_2025) == [2024] and spring_2025[2024][1] is None

    nianbao("check", "--db", str(db), "--as-of", "2026-05-01")
    spring_2026 = missing(db, "990101", "青山县财政局")
    # 2024 is still missing (the same finding, still open); 2025 too: it published 2023, within three years.
    assert spring_2026[2024] == spring_2025[2024]
    assert spring_2026[2025][1] is None
    # An agency that published every year so far is expected for 2025 as well.
    assert missing(db, "990101", "青山县教育局")[2025][1] is None

    output = nianbao("agencies", "retire", "青山县财政局", "--county", "990101", "--since", "2024",
                     "--reason", "并入县发展和改革局", "--by", "王科长", "--db", str(db))
    assert "自2024年度起不再需要发布年报" in output and "排除其未发布年报的问题2项" in output
    listed = nianbao("agencies", "retired", "--db", str(db))
    assert "990101 青山县财政局 自2024年度起：并入县发展和改革局（王科长" in listed

    nianbao("check", "--db", str(db), "--as-of", "2027-05-01")
    # Retired: every missing report from 2024 on is closed.
    retired = missing(db, "990101", "青山县财政局")
    assert set(retired) == {2024, 2025} and all(resolved for _, resolved in retired.values())
    with sqlite3.connect(db) as conn:  # dismissed with the reason when retired: not announced as fixed
        reasons = conn.execute("SELECT DISTINCT dismissed_by, dismissed_reason FROM findings WHERE agency = ? "
                               "AND rule = 'missing_report'", ["青山县财政局"]).fetchall()
    assert reasons == [("王科长", "单位已撤销或合并，自2024年度起不再发布年报：并入县发展和改革局")]
    # Not retired: 云溪县公安局's 2024 report stays missing in 2027 (no longer a watched year), with 2025. Its 2026
    # report is owed too (2023 is within three years) but waits for a crawl after 2027-02-07: the demo crawled once.
    kept = missing(db, "990102", "云溪县公安局")
    assert set(kept) == {2024, 2025}
    assert all(resolved is None for _, resolved in kept.values())
