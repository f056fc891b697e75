"""Department sub-sites (issue 12): every department's report, in the shared column or only in its own; pages in
traditional script; an xxgk. host; JSON list APIs; the county's directory of agencies and the crawl's coverage."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from checks.service import run_checks
from checks.subject import CheckSettings
from crawler.run import CrawlSummary, crawl
from db.store import Store
from nianbao.cli import main
from samples.department_portals import hanweb_departments, json_platform, link_xxgk, trs_departments
from samples.portal_server import PortalServer, serve
from samples.portals import Resource

# Read off samples/department_portals.py by hand: the reports each county publishes.
EXPECTED = {
    # 安远县 (Hanweb): the shared column, the 卫健委 page in traditional script, 财政局's own column only.
    ("360726", "安远县人民政府", 2023),
    ("360726", "安远县教育局", 2023),
    ("360726", "安远县卫生健康委员会", 2023),
    ("360726", "安远县财政局", 2023),  # own column, first datastore page, PDF behind downfile.jsp
    ("360726", "安远县财政局", 2022),  # own column, second page (dataproxy.jsp POST)
    ("360726", "安远县财政局", 2021),  # own column, second page, pre-2019 wording, DOCX
    # 宁都县 (TRS, GBK, 信息公开 on its xxgk. host): shared column over two pages, 司法局's own column only.
    ("360730", "宁都县人民政府", 2023),
    ("360730", "宁都县人力资源和社会保障局", 2023),
    ("360730", "宁都县交通运输局", 2023),
    ("360730", "宁都县医疗保障局", 2023),  # its directory entry is the shared column's second page
    ("360730", "宁都县司法局", 2023),
    ("360730", "宁都县司法局", 2022),
    # 石城县 (政府信息公开平台, JSON list APIs over two pages).
    ("360735", "石城县人民政府", 2023),
    ("360735", "石城县人民政府", 2022),
    ("360735", "石城县发展和改革委员会", 2023),
}
# Look-alikes in the same columns: never fetched.
DECOYS = {
    "360726": ["/art/2024/3/1/art_101_4.html",  # 法治政府建设年度报告
               "/art/2024/3/5/art_101_5.html",  # 住房公积金2023年年度报告
               "/art/2024/1/15/art_101_6.html",  # 政府網站工作年度報表 (traditional)
               "/art/2024/2/1/art_331_2.html"],  # 财政局2023年部门预算, in its own column
    "360730": ["/zfxxgknb/202402/t20240220_200004.html",  # 政务公开工作要点
               "/zfxxgknb/202312/t20231201_200005.html",  # 关于报送…的通知
               "/bmxxgk/sfj/gknb/202403/t20240301_200013.html"],  # 司法局 法治政府建设年度报告
    "360735": ["/zfxxgkpt/content/post_303.html",  # 政府网站工作年度报表
               "/zfxxgkpt/content/post_304.html"],  # 部门决算
}
# The gaps: departments listed with no 年报 column, and listed departments with no report at all.
NO_COLUMN = {"360726": "县自然资源局", "360730": "宁都县审计局", "360735": "石城县农业农村局"}
NO_REPORT = {"360726": ["安远县统计局", "安远县自然资源局"], "360730": ["宁都县审计局"],
             "360735": ["石城县农业农村局"]}
FAST = {"download_delay": 0, "autothrottle": False}


@pytest.fixture(scope="module")
def portals() -> Iterator[PortalServer]:
    """安远县, 宁都县 (www. and xxgk. servers) and 石城县 on 127.0.0.1."""
    www, xxgk = trs_departments()
    server = serve([hanweb_departments(), www, xxgk, json_platform()])
    link_xxgk(www, server.url(xxgk))
    yield server
    server.close()


def write_sites(path: Path, server: PortalServer) -> Path:
    """The sites file: 宁都县's xxgk. server is declared as another host of its site."""
    hanweb, www, xxgk, platform = server.portals
    path.write_text("code,name,url,start_urls,hosts\n"
                    f"{hanweb.code},{hanweb.name},{server.url(hanweb)},,\n"
                    f"{www.code},{www.name},{server.url(www)},,{server.url(xxgk)}\n"
                    f"{platform.code},{platform.name},{server.url(platform)},,\n", encoding="utf-8")
    return path


def options(server: PortalServer, **more: object) -> dict[str, object]:
    return {**FAST, "allowed_private_hosts": [server.host(p) for p in server.portals], **more}


@pytest.fixture(scope="module")
def first_crawl(portals: PortalServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CrawlSummary]:
    data = tmp_path_factory.mktemp("departments")
    summary = crawl(write_sites(data / "sites.csv", portals), data / "nianbao.db", data, overrides=options(portals))
    return data, summary


def current_reports(db_path: Path) -> set[tuple[str, str, int]]:
    with Store.open(db_path) as store:
        return {(r.county_code, r.agency, r.year) for r in store.current_reports()}


def fetched(server: PortalServer, code: str) -> set[str]:
    ports = {server.servers[i].server_address[1] for i, p in enumerate(server.portals) if p.code == code}
    return {hit.path for hit in server.hits if hit.port in ports}


def test_departments_every_report_found_in_shared_and_own_columns(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, summary = first_crawl
    assert current_reports(data / "nianbao.db") == EXPECTED
    assert {run.county_code: run.status for run in summary.runs} == {"360726": "ok", "360730": "ok", "360735": "ok"}


def test_departments_traditional_script_page_is_a_report(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, _ = first_crawl
    with sqlite3.connect(data / "nianbao.db") as db:
        title = db.execute("SELECT page_title FROM documents WHERE url LIKE '%/art_101_3.html'").fetchone()
    assert title == ("安遠縣衛生健康委員會2023年政府信息公開工作年度報告",)
    assert ("360726", "安远县卫生健康委员会", 2023) in current_reports(data / "nianbao.db")


def test_departments_no_decoy_fetched(first_crawl: tuple[Path, CrawlSummary], portals: PortalServer) -> None:
    for code, paths in DECOYS.items():
        taken = fetched(portals, code) & set(paths)
        assert not taken, taken


def test_departments_coverage_per_crawl(first_crawl: tuple[Path, CrawlSummary]) -> None:
    _, summary = first_crawl
    runs = {run.county_code: run for run in summary.runs}
    counts = {code: (run.departments_listed, run.subsites_visited, run.report_columns, run.without_column)
              for code, run in runs.items()}
    assert counts == {"360726": (5, 5, 4, NO_COLUMN["360726"]), "360730": (5, 5, 4, NO_COLUMN["360730"]),
                      "360735": (2, 2, 1, NO_COLUMN["360735"])}


def test_departments_directory_stored_as_listed_agencies(first_crawl: tuple[Path, CrawlSummary],
                                                         portals: PortalServer) -> None:
    data, _ = first_crawl
    with sqlite3.connect(data / "nianbao.db") as db:
        listed = dict(db.execute("SELECT name, portal_url FROM agencies WHERE county_code = '360730' "
                                 "AND listed_on_portal = 1"))
        government = db.execute("SELECT listed_on_portal FROM agencies WHERE name = '宁都县人民政府'").fetchone()
    xxgk = portals.portals[2]
    assert listed == {"宁都县人力资源和社会保障局": portals.url(xxgk, "/bmxxgk/rsj/"),
                      "宁都县交通运输局": portals.url(xxgk, "/bmxxgk/jtj/"),
                      "宁都县司法局": portals.url(xxgk, "/bmxxgk/sfj/"),
                      "宁都县审计局": portals.url(xxgk, "/bmxxgk/sjj/"),
                      "宁都县医疗保障局": portals.url(xxgk, "/zfxxgknb/index_1.html")}
    assert government == (0,)  # it publishes, but the directory of departments does not list it


def test_departments_status_shows_listed_found_and_none(first_crawl: tuple[Path, CrawlSummary]) -> None:
    data, _ = first_crawl
    result = CliRunner().invoke(main, ["status", "--db", str(data / "nianbao.db")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("360726 安远县" in line and "列出 5 · 已找到年报 3 · 列出但未找到年报 2" in line
               for line in lines), result.output
    assert any("360730 宁都县" in line and "列出 5 · 已找到年报 4 · 列出但未找到年报 1" in line
               for line in lines), result.output
    assert "列出但未找到年报：" + "、".join(NO_REPORT["360726"]) in result.output
    assert "部门子站：列出 2 · 进入 2 · 找到年报栏目 1 · 无年报栏目：石城县农业农村局" in result.output
    as_json = CliRunner().invoke(main, ["status", "--db", str(data / "nianbao.db"), "--json"])


    directory = json.loads(as_json.output)["directory"]
    assert {code: entry["without_reports"] for code, entry in directory.items()} == NO_REPORT


def test_departments_listed_agency_without_report_is_missing(first_crawl: tuple[Path, CrawlSummary],
                                                             tmp_path: Path) -> None:
    data, _ = first_crawl
    copy = tmp_path / "nianbao.db"
    copy.write_bytes((data / "nianbao.db").read_bytes())
    with Store.open(copy) as store:
        run_checks(store.db, CheckSettings(years=(2023,)), as_of=date(2026, 6, 1))
        missing = {(county, agency) for county, agency in store.db.execute(
            "SELECT county_code, agency FROM findings WHERE rule = 'missing_report' AND year = 2023 "
            "AND resolved_at IS NULL")}
        message = store.db.execute("SELECT message FROM findings WHERE rule = 'missing_report' "
                                   "AND agency = '宁都县审计局'").fetchone()[0]
    assert missing == {(code, name) for code, names in NO_REPORT.items() for name in names}
    assert "列于门户网站的部门信息公开目录" in message


def test_departments_depth_counts_from_the_sub_site(portals: PortalServer, tmp_path: Path) -> None:
    # The county's directory is 2 links from the home page, each department's own column 1 more from its root:
    # with max_depth 2 every report is still found (counted from the home page it is 3 or 4 deep).
    summary = crawl(write_sites(tmp_path / "sites.csv", portals), tmp_path / "nianbao.db", tmp_path,
                    overrides=options(portals, max_depth=2))
    assert current_reports(tmp_path / "nianbao.db") == EXPECTED
    assert summary.total("reports_found") == len(EXPECTED)


def test_departments_list_without_report_columns_is_site_changed(portals: PortalServer, tmp_path: Path) -> None:
    platform = portals.portals[3]
    original = platform.resources["/zfxxgkpt/bm/fgw.html"]
    platform.resources["/zfxxgkpt/bm/fgw.html"] = platform.resources["/zfxxgkpt/bm/nyj.html"]  # 年报 entry gone
    try:
        sites = tmp_path / "sites.csv"
        sites.write_text(f"code,name,url\n{platform.code},{platform.name},{portals.url(platform)}\n",
                         encoding="utf-8")
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=options(portals))
    finally:
        platform.resources["/zfxxgkpt/bm/fgw.html"] = original
    run = summary.runs[0]
    assert (run.departments_listed, run.report_columns) == (2, 0)
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        findings = db.execute("SELECT rule, severity, message FROM findings WHERE county_code = '360735' "
                              "AND resolved_at IS NULL").fetchall()
    assert findings == [("site_changed", "warning",
                         "门户网站列出 2 个部门（进入 2 个部门子站），但未找到任何部门的政府信息公开年报栏目："
                         "部门栏目可能已改版或迁移")]


def test_departments_crawl_cli_prints_coverage(portals: PortalServer, tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text('[crawl]\ndownload_delay = 0\nautothrottle = false\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "crawl", "--sites",
                                       str(write_sites(tmp_path / "sites.csv", portals)),
                                       "--db", str(tmp_path / "nianbao.db"), "--allow-private-networks"])
    assert result.exit_code == 0, result.output
    assert "部门 360726 安远县：列出 5 · 进入子站 5 · 找到年报栏目 4 · 无年报栏目：县自然资源局" in result.output


def test_departments_unlisted_later_is_no_longer_listed(portals: PortalServer, tmp_path: Path) -> None:
    hanweb = portals.portals[0]
    sites = tmp_path / "sites.csv"
    sites.write_text(f"code,name,url\n{hanweb.code},{hanweb.name},{portals.url(hanweb)}\n", encoding="utf-8")
    crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=options(portals))
    original = hanweb.resources["/col/col300/index.html"]
    shorter = original.body.replace('<li><a href="/col/col350/index.html" title="县统计局">县统计局</a>'
                                    "<span>2024-03-25</span></li>".encode(), b"")
    assert shorter != original.body
    hanweb.resources["/col/col300/index.html"] = Resource(shorter)
    try:
        crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides=options(portals))
    finally:
        hanweb.resources["/col/col300/index.html"] = original
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        listed = {name: flag for name, flag in db.execute(
            "SELECT name, listed_on_portal FROM agencies WHERE county_code = '360726' AND name LIKE '%统计局'")}
    assert listed == {"安远县统计局": 0}
