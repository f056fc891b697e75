"""Datasette through its own client on a small ingested store: metadata, links, canned queries, chart data."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from checks.model import Finding
from db.browse import make_datasette
from db.directory import record_directory
from db.findings import sync_findings
from db.store import Store
from parsers.report import ParsedReport

FIXTURES = Path(__file__).parent / "fixtures" / "store"
ZEZHOU_HRSS_URL = "http://www.zezhou.gov.cn/zwgk/rsj/2024/01/P020240124.txt"
ZEZHOU_EDU_URL = "http://www.zezhou.gov.cn/zwgk/jyj/2024/02/P020240220.txt"


def _parsed(agency: str, year: int, published_on: str, received: int, kind: str = "department") -> ParsedReport:
    return ParsedReport(
        source="built in test", agency=agency, year=year, template="2021", published_on=published_on, kind=kind,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        values={"requests.received.total": received, "requests.granted.total": received},
        raw={"requests.received.total": str(received), "requests.granted.total": str(received)},
        states={"requests.received.total": "number", "requests.granted.total": "number"},
        tables=["active", "requests", "reviews"],
    )


def build_sample_db(tmp_path: Path) -> Path:
    """Three real seed reports, two built reports, and findings: late, missing, balance (open), balance (resolved).

    泽州县 140525: 人社局 2022 (built, received 5) and 2023 (seed, dated 2024-01-24, balance error open);
    教育局 2023 (built, dated 2024-02-20, late); 卫生健康局 2023 missing. 古县 141025: 人社局 2021 (seed,
    balance resolved). 前进区 230804: 人社局 2022 (seed).
    """
    db_path = tmp_path / "nianbao.db"
    store = Store.open(db_path, tmp_path / "data")
    for code, name in [("140525", "泽州县"), ("141025", "古县"), ("230804", "前进区")]:
        store.upsert_county(code, name, f"http://{code}.example.gov.cn/")
    seeds = {"zezhou_hrss_2023.txt": ("140525", ZEZHOU_HRSS_URL),
             "guxian_hrss_2021.txt": ("141025", "http://www.guxian.gov.cn/zwgk/P2022.txt"),
             "qianjin_hrss_2022.txt": ("230804", "http://www.qianjin.gov.cn/zwgk/P2023.txt")}
    ids = {}
    for name, (county, url) in seeds.items():
        outcome = store.ingest((FIXTURES / name).read_bytes(), url=url, county_code=county)
        assert outcome.status == "new", outcome
        ids[name] = outcome.report_id
    store.ingest_parsed(_parsed("泽州县人力资源和社会保障局", 2022, "2023-01-20", 5),
                        url="http://www.zezhou.gov.cn/zwgk/rsj/2023/01/P2023.txt", county_code="140525")
    late = store.ingest_parsed(_parsed("泽州县教育局", 2023, "2024-02-20", 3), url=ZEZHOU_EDU_URL,
                               county_code="140525")
    resolved_balance = Finding("balance", "error", "141025", "古县人力资源和社会保障局", 2021,
                               ["requests.received.total"], 1, 0, "收支不平", "http://www.guxian.gov.cn/zwgk/P2022.txt",
                               report_id=ids["guxian_hrss_2021.txt"])
    sync_findings(store.db, [resolved_balance], now="2024-03-01T00:00:00Z", rules=["balance"])
    findings = [
        Finding("late", "warning", "140525", "泽州县教育局", 2023, [], "2024-01-31", "2024-02-20",
                "2024年2月20日发布，晚于1月31日", ZEZHOU_EDU_URL, report_id=late.report_id),
        Finding("missing_report", "error", "140525", "泽州县卫生健康局", 2023, [], "2024-01-31", None,
                "截至检查日未找到2023年年报", None),
        Finding("balance", "error", "140525", "泽州县人力资源和社会保障局", 2023,
                ["requests.received.total", "requests.results_total.total"], 2, 0, "收支不平", ZEZHOU_HRSS_URL,
                report_id=ids["zezhou_hrss_2023.txt"]),
    ]
    sync_findings(store.db, findings, now="2024-04-01T00:00:00Z", rules=["late", "missing_report", "balance"])
    store.close()
    return db_path


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    return build_sample_db(tmp_path)


@pytest.fixture
def datasette(sample_db: Path) -> Datasette:
    instance = make_datasette(sample_db)
    asyncio.run(instance.invoke_startup())
    return instance


def get(datasette: Datasette, path: str) -> Any:
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


def rows(datasette: Datasette, query: str, **params: str) -> list[dict[str, Any]]:
    arguments = "&".join(f"{name}={quote(value)}" for name, value in params.items())
    return get(datasette, f"/nianbao/{query}.json?_shape=array&{arguments}").json()


def test_datasette_late_reports_for_year(datasette: Datasette) -> None:
    found = rows(datasette, "late_reports", year="2023")
    assert [(r["机关"], r["发布日期"], r["期限"], r["原文"]) for r in found] == [
        ("泽州县教育局", "2024-02-20", "2024-01-31", ZEZHOU_EDU_URL)]
    assert rows(datasette, "late_reports", year="2022") == []


def test_datasette_missing_reports_for_year(datasette: Datasette) -> None:
    assert [(r["区县"], r["机关"]) for r in rows(datasette, "missing_reports", year="2023")] == [
        ("泽州县", "泽州县卫生健康局")]
    assert rows(datasette, "missing_reports", year="2021") == []


def test_datasette_reports_failing_rule_skips_resolved(datasette: Datasette) -> None:
    found = rows(datasette, "reports_failing_rule", rule="balance")
    assert [(r["机关"], r["年度"], r["原文"]) for r in found] == [("泽州县人力资源和社会保障局", 2023, ZEZHOU_HRSS_URL)]
    assert rows(datasette, "reports_failing_rule", rule="row_total") == []


def test_datasette_agency_history_across_years(datasette: Datasette) -> None:
    found = rows(datasette, "agency_history", agency="泽州县人社局")
    assert [(r["年度"], r["新收申请"], r["落款日期"], r["未解决问题"]) for r in found] == [
        (2022, 5, "2023-01-20", 0), (2023, 0, "2024-01-24", 1)]
    by_part = rows(datasette, "agency_history", agency="人力资源和社会保障局")
    assert sorted((r["区县"], r["年度"]) for r in by_part) == [
        ("前进区", 2022), ("古县", 2021), ("泽州县", 2022), ("泽州县", 2023)]


def test_datasette_county_scorecard(datasette: Datasette) -> None:
    found = rows(datasette, "county_scorecard", county="140525")
    assert found == [
        {"年度": 2022, "按时": 1, "逾期": 0, "缺失": 0, "数据矛盾": 0, "抓取受阻的区县": None,
         "门户列出且已找到年报": 0, "门户列出但未找到年报": 0},
        {"年度": 2023, "按时": 1, "逾期": 1, "缺失": 1, "数据矛盾": 1, "抓取受阻的区县": None,
         "门户列出且已找到年报": 0, "门户列出但未找到年报": 0},
    ]


def test_datasette_departments_listed_on_the_portal(sample_db: Path) -> None:
    # The portal of 泽州县 lists three departments: 人社局 published for 2022 and 2023, 教育局 for 2023 only,
    # 财政局 never.
    connection = sqlite3.connect(sample_db)
    with connection:
        record_directory(connection, "140525", {"县人力资源和社会保障局": "http://www.zezhou.gov.cn/bm/rsj/",
                                                "县教育局": "http://www.zezhou.gov.cn/bm/jyj/",
                                                "县财政局": "http://www.zezhou.gov.cn/bm/czj/"}, "2024-03-01T00:00:00Z")
    connection.close()
    datasette = make_datasette(sample_db)
    asyncio.run(datasette.invoke_startup())
    found = rows(datasette, "county_scorecard", county="140525")
    assert [(r["年度"], r["门户列出且已找到年报"], r["门户列出但未找到年报"]) for r in found] == [
        (2022, 1, 2), (2023, 2, 1)]
    listed = rows(datasette, "portal_agencies", county="140525")
    assert [(r["部门"], r["已找到年报年度"], r["状态"]) for r in listed] == [
        ("泽州县财政局", None, "列出，未找到年报"),
        ("泽州县人力资源和社会保障局", "2022、2023", "已找到年报"),
        ("泽州县教育局", "2023", "已找到年报")]


def test_datasette_report_summary_totals(datasette: Datasette) -> None:
    summary = get(datasette, "/nianbao/report_summary.json?_shape=array&county_code=140525&year=2023"
                             "&agency=泽州县人力资源和社会保障局").json()
    # 泽州县人社局 2023: no applications; 复议 1 1 0 0 2; 诉讼 9 4 0 4 17 and 0 0 0 0 0.
    assert [(s["received"], s["reviews_total"], s["litigation_total"], s["open_findings"]) for s in summary] == [
        (0, 2, 17, 1)]


def test_datasette_metadata_titles_and_descriptions(datasette: Datasette) -> None:
    index = get(datasette, "/nianbao").text
    for title in ("政府信息公开年度报告库", "年度报告", "检查发现的问题", "某年度逾期发布的年报", "区县年报成绩单"):
        assert title in index
    table = get(datasette, "/nianbao/reports").text
    assert "报告原文网址" in table  # a column description
    assert "表格模板" in table
    metadata = get(datasette, "/-/metadata.json").json()
    tables = metadata["databases"]["nianbao"]["tables"]
    real_tables = asyncio.run(datasette.get_database("nianbao").table_names())
    shown = [t for t in real_tables if not t.startswith(("reports_fts", "reports_chars", "sqlite_"))]
    views = ["report_summary", "coverage", "report_values", "problems", "county_places", "county_year_counts"]
    for name in shown + views:
        assert tables[name]["title"], name
        columns = asyncio.run(datasette.get_database("nianbao").table_columns(name))
        assert set(columns) <= set(tables[name]["columns"]), (name, set(columns) - set(tables[name]["columns"]))


def test_datasette_report_page_links_to_source(datasette: Datasette) -> None:
    page = get(datasette, "/nianbao/reports/1").text
    assert f'<a href="{ZEZHOU_HRSS_URL}">' in page
    assert "年度报告 1：泽州县人力资源和社会保障局2023年政府信息公开工作年度报告" in page
    assert "报告原文网址" in page  # labels are the Chinese column descriptions
    assert "/nianbao/report_values?report_id=1" in page  # its cells, with Chinese row and column labels


def test_datasette_facets_on_findings(datasette: Datasette) -> None:
    data = get(datasette, "/nianbao/findings.json?_facet=rule").json()
    facets = {facet: [v["value"] for v in result["results"]] for facet, result in data["facet_results"].items()}
    assert sorted(facets["rule"]) == ["balance", "late", "missing_report"]
    assert set(facets) >= {"county_code", "year", "rule", "severity"}


def test_datasette_search_chinese_text(datasette: Datasette) -> None:
    found = get(datasette, "/nianbao/reports.json?_shape=array&_search=" + quote("丹河商务中心")).json()
    assert [r["agency"] for r in found] == ["泽州县人力资源和社会保障局"]


def test_datasette_chart_data_by_year(datasette: Datasette) -> None:
    chart = datasette.plugin_config("datasette-dashboards")["timeliness"]["charts"]["by-year"]
    sql = chart["query"].replace("[[ and county_code = :county ]]", "and county_code = :county")
    data = get(datasette, f"/nianbao.json?_shape=array&county=140525&sql={quote(sql)}").json()
    assert [(row["年度"], row["状态"], row["数量"]) for row in data] == [
        (2022, "按时", 1), (2023, "按时", 1), (2023, "逾期", 1), (2023, "缺失", 1)]
    page = get(datasette, "/-/dashboards/timeliness").text
    assert "年报按时发布情况" in page
    assert "各年度年报按时、逾期、缺失数量" in page


def test_datasette_opens_database_read_only(datasette: Datasette) -> None:
    response = asyncio.run(datasette.client.get(
        "/nianbao.json?sql=" + quote("insert into counties (code) values ('999999')")))
    assert response.status_code == 400


def test_datasette_serves_a_store_in_a_folder_whose_name_a_uri_must_escape(tmp_path: Path) -> None:
    folder = tmp_path / "年报 #1?"
    folder.mkdir()
    instance = make_datasette(build_sample_db(folder))
    asyncio.run(instance.invoke_startup())
    counties = get(instance, "/nianbao/counties.json?_shape=array").json()
    assert {county["name"] for county in counties} == {"泽州县", "古县", "前进区"}


def test_datasette_lists_reports_read_incompletely_with_their_warnings(tmp_path: Path) -> None:
    db_path = build_sample_db(tmp_path)
    text = (FIXTURES / "zezhou_hrss_2023.txt").read_text(encoding="utf-8")
    short = "\n".join(line for line in text.splitlines() if "属于行政查询事项" not in line)
    assert short != text
    store = Store.open(db_path, tmp_path / "data")
    try:
        store.ingest(short.encode("utf-8"), url="http://www.zezhou.gov.cn/zwgk/rsj/short.txt", county_code="140525")
    finally:
        store.close()
    instance = make_datasette(db_path)
    asyncio.run(instance.invoke_startup())
    found = {r["原文"]: r for r in rows(instance, "incomplete_reports")}
    # The seed itself prints no 行政强制 row (第二十条第（七）项 is absent from its section 二).
    assert sorted(found) == [ZEZHOU_HRSS_URL, "http://www.zezhou.gov.cn/zwgk/rsj/short.txt"]
    assert found[ZEZHOU_HRSS_URL]["解析提示"] == "二、主动公开政府信息情况：表格只读到 9 个单元格，模板有 10 个"
    short_row = found["http://www.zezhou.gov.cn/zwgk/rsj/short.txt"]
    assert (short_row["区县"], short_row["解析状态"], short_row["读取存疑"]) == ("泽州县", "partial", "否")
    assert "三、收到和处理政府信息公开申请情况：表格只读到 168 个单元格，模板有 175 个" in short_row["解析提示"]
