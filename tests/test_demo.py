"""`nianbao demo --no-serve`: the main job on the demo world, checked against samples/demo_world.py read by hand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from samples.demo_run import read_eml
from samples.demo_world import expected_reports

# Written by hand from samples/demo_world.py: 7 agencies in each readable county, every year, except
# 青山县财政局 2024 and 云溪县公安局 2024 (not published); 白沙县 is behind a JS challenge.
REPORTS_PER_YEAR = {
    "990101": {2022: 7, 2023: 7, 2024: 6},
    "990102": {2022: 7, 2023: 7, 2024: 6},
    "990103": {2022: 7, 2023: 7, 2024: 7},
}
# The planted problems, one line each in demo_world.py, and nothing else.
FINDINGS = {
    ("late", "990101", "青山县教育局", 2023),                  # published 2024-02-20, after January 31
    ("late", "990102", "云溪县人民政府", 2024),                # published 2025-04-15, after March 31
    ("missing_report", "990101", "青山县财政局", 2024),        # 2022, 2023 published, 2024 not
    ("missing_report", "990102", "云溪县公安局", 2024),
    ("carry_over_mismatch", "990101", "青山县人力资源和社会保障局", 2024),
    ("review_total", "990102", "云溪县民政局", 2023),
    ("balance", "990103", "石桥县市场监督管理局", 2024),
    ("outdated_template", "990103", "石桥县住房和城乡建设局", 2023),  # 2019 template for 2023
    ("site_unreachable", "990104", None, None),                  # the blocked county
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One `nianbao demo --no-serve --json` run; (output folder, its JSON summary)."""
    output = tmp_path_factory.mktemp("demo") / "demo-output"
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--json", "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output, json.loads(result.stdout.strip().splitlines()[-1])


def rows(output: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(output / "nianbao.db") as db:
        return db.execute(sql).fetchall()


def test_demo_finds_every_published_report(demo: tuple[Path, dict]) -> None:
    output, _ = demo
    found = rows(output, "SELECT county_code, agency, year FROM reports WHERE is_current = 1")
    assert set(found) == expected_reports() and len(found) == 61
    per_year: dict[str, dict[int, int]] = {}
    for county, _, year in found:
        per_year.setdefault(county, {}).setdefault(year, 0)
        per_year[county][year] += 1
    assert per_year == REPORTS_PER_YEAR


def test_demo_reads_every_format_and_the_traditional_report(demo: tuple[Path, dict]) -> None:
    output, _ = demo
    types = {t.split(";")[0] for (t,) in rows(output, "SELECT content_type FROM documents WHERE status = 'parsed'")}
    assert {"text/html", "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= types
    # 云溪县水利局 2024 is printed in traditional script (公開, 報告) and read into simplified keys.
    [(status, path, received)] = rows(output, """
        SELECT r.parse_status, v.path, (SELECT number FROM report_values WHERE report_id = r.id
                                        AND key = 'requests.received.total')
        FROM reports r JOIN document_versions v ON v.document_id = r.document_id
        WHERE r.agency = '云溪县水利局' AND r.year = 2024""")
    page = (output / path).read_bytes().decode("utf-8")
    assert status == "parsed" and "政府信息公開工作年度報告" in page and received is not None


def test_demo_findings_are_exactly_the_planted_problems(demo: tuple[Path, dict]) -> None:
    output, summary = demo
    open_findings = set(rows(output, "SELECT rule, county_code, agency, year FROM findings WHERE resolved_at IS NULL"))
    assert open_findings == FINDINGS
    assert summary["findings_by_rule"]["late"] == {"error": 2}


def test_demo_blocked_county_is_recorded_as_blocked(demo: tuple[Path, dict]) -> None:
    output, summary = demo
    assert rows(output, "SELECT status FROM crawl_runs WHERE county_code = '990104'") == [("blocked",)]
    assert {c["county_code"]: c["status"] for c in summary["crawls"]} == {
        "990101": "ok", "990102": "ok", "990103": "ok", "990104": "blocked"}


def test_demo_emails_are_saved_and_explain_the_problems(demo: tuple[Path, dict]) -> None:
    output, summary = demo
    emails = {path.name: read_eml(path) for path in (output / "emails").glob("*.eml")}
    assert sorted(emails) == ["01-researcher@example.org.eml", "02-qingshan-office@example.org.eml",
                              "03-deadlines@example.org.eml"]
    assert summary["emails"] == [str(output / "emails" / name) for name in sorted(emails)]
    text = {name.split("-", 1)[1].removesuffix(".eml"): m.get_body(("plain",)).get_content()
            for name, m in emails.items()}
    for rule, _, agency, _year in FINDINGS - {("site_unreachable", "990104", None, None)}:
        assert agency in text["researcher@example.org"], (rule, agency)
    assert "逾期20天" in text["researcher@example.org"] and "白沙县" in text["researcher@example.org"]
    # 青山县's office: its errors (教育局 late, 财政局 missing), not the 人社局 warning, nothing of other counties.
    office = text["qingshan-office@example.org"]
    assert "青山县教育局" in office and "青山县财政局" in office
    assert "人力资源和社会保障局" not in office and "云溪县" not in office
    # Dates follow the day the demo is checked as of (2025-06-01), whatever today is; no English in the text.
    research = text["researcher@example.org"]
    assert "以下是年报监测自上次发送以来的新情况（2025年6月1日）" in research
    assert "2025年6月1日首次发现，请于2025年6月16日前整改" in research
    assert "系统首次发现于" not in research  # the reports were crawled after the day judged
    assert "连续" not in research or "网站拦截访问" in research
    assert "blocked" not in research and "网站拦截访问" in research
    assert "上一年度报告：" in research and "报告页面：" in research
    deadlines = text["deadlines@example.org"]
    assert "云溪县人民政府" in deadlines and "白沙县" in deadlines and "行政复议" not in deadlines


def test_demo_run_again_starts_afresh(demo: tuple[Path, dict]) -> None:
    output, _ = demo
    (output / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "demo", "--no-serve", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert (output / "notes.txt").read_text(encoding="utf-8") == "mine"  # only the demo's own files are replaced
    assert len(list((output / "emails").glob("*.eml"))) == 3
    assert rows(output, "SELECT count(*) FROM crawl_runs") == [(4,)]
    assert "未解决的问题（按规则）：" in result.output and "balance" in result.output


def test_demo_rankings_name_the_blocked_county_and_the_lowest(demo: tuple[Path, dict]) -> None:
    """What a journalist asks of the demo in Datasette: which counties and provinces rank lowest for 2024."""
    import asyncio

    from db.browse import make_datasette

    output, _ = demo
    datasette = make_datasette(output / "nianbao.db")

    def query(name: str) -> list[dict]:
        return asyncio.run(datasette.client.get(f"/nianbao/{name}.json?year=2024&_shape=array")).json()

    # 2024, read off demo_world.py: 云溪县 6 published, 人民政府 late, 公安局 missing → 5 of 7 on time;
    # 青山县 6 published, 财政局 missing → 6 of 7; 石桥县 7 of 7; 白沙县 blocked, nothing read.
    ranking = [(r["区县"], r["地市"], r["省份"], r["最近抓取"], r["按时率"]) for r in query("county_ranking")]
    assert ranking == [("白沙县", "演示市", "演示省", "被拦截", None), ("云溪县", "演示市", "演示省", "正常", 71.4),
                       ("青山县", "演示市", "演示省", "正常", 85.7), ("石桥县", "演示市", "演示省", "正常", 100.0)]
    [province] = query("province_ranking")
    assert (province["省份"], province["按时"], province["缺失"], province["按时率"], province["抓取受阻区县"]) == (
        "演示省", 18, 2, 85.7, 1)
