"""`nianbao demo --watch agencies.csv`: the demo's check and alerts read the watch list, as `nianbao check` does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from nianbao.cli import main
from samples.demo_run import read_eml

# Read off samples/demo_world.py: 石桥县 has no 统计局 (云溪县 has one), so a watched 石桥县统计局 published nothing
# for any demo year (2022–2024); 青山县财政局 published 2022 and 2023, not 2024.
WATCH = ("county_code,agency,email\n"
         "990103,石桥县统计局,tongji@example.org\n"
         "990101,青山县财政局,caizheng@example.org\n")


def test_demo_checks_and_alerts_with_the_watch_list(tmp_path: Path) -> None:
    watch = tmp_path / "agencies.csv"
    watch.write_text(WATCH, encoding="utf-8")
    output = tmp_path / "demo-output"
    result = CliRunner().invoke(main, ["-q", "demo", "--no-serve", "--watch", str(watch), "--output", str(output)])
    assert result.exit_code == 0, result.output

    with sqlite3.connect(output / "nianbao.db") as db:
        missing = db.execute("SELECT agency, year, message FROM findings WHERE rule = 'missing_report' "
                             "AND resolved_at IS NULL").fetchall()
    assert {(agency, year) for agency, year, _ in missing} == {
        ("石桥县统计局", 2022), ("石桥县统计局", 2023), ("石桥县统计局", 2024),
        ("云溪县公安局", 2024), ("青山县财政局", 2024)}
    by_agency = {(agency, year): message for agency, year, message in missing}
    assert "该单位在关注名单中" in by_agency[("石桥县统计局", 2024)]

    emails = {path.name.split("-", 1)[1].removesuffix(".eml"): read_eml(path)
              for path in (output / "emails").glob("*.eml")}
    assert {"tongji@example.org", "caizheng@example.org"} <= set(emails)
    tongji = emails["tongji@example.org"].get_body(("plain",)).get_content()
    caizheng = emails["caizheng@example.org"].get_body(("plain",)).get_content()
    # Each contact hears about its own agency only.
    assert "石桥县统计局" in tongji and "青山县财政局" not in tongji and "教育局" not in tongji
    assert "青山县财政局" in caizheng and "石桥县" not in caizheng and "教育局" not in caizheng

    # The saved nianbao.toml names the watch list, so rerunning the check with it finds the same.
    assert f'watch = "{watch.resolve().as_posix()}"' in (output / "nianbao.toml").read_text(encoding="utf-8")
