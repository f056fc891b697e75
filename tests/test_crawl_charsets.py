"""Ordinary portal defects do not lose reports: a charset declared wrong either way, a stray invalid byte."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_crawl import crawl_one_portal, current_reports

from nianbao.cli import main
from samples.portals import Resource, _html, _links, _page, article, plain_portal, sample
from samples.render import render

NAME = "古县"


def _page_bytes(agency: str, year: int, seed: int, charset: str) -> bytes:
    title = f"{NAME}{agency}{year}年政府信息公开工作年度报告"
    return article(sample(f"{NAME}{agency}", year, seed), title, f"{NAME}{agency}", charset=charset).body


def test_crawl_reads_pages_with_a_wrong_charset_or_a_stray_byte(tmp_path: Path) -> None:
    gbk_said_utf8 = _page_bytes("财政局", 2023, 31, "utf-8").decode("utf-8").encode("gb18030")
    utf8_said_gbk = _page_bytes("教育局", 2023, 32, "gbk").decode("gb18030").encode("utf-8")
    utf8_page = _page_bytes("司法局", 2023, 33, "utf-8")
    stray = utf8_page.replace("司法局".encode(), "司法局".encode() + b"\xff", 1)  # a stray byte after the name
    portal = plain_portal()
    portal.resources["/xxgk/nb/list?page=2"] = _html(_page("年度报告", _links([
        (f"{NAME}财政局2023年政府信息公开工作年度报告", "/xxgk/nb/czj.html"),
        (f"{NAME}教育局2023年政府信息公开工作年度报告", "/xxgk/nb/jyj.html"),
        (f"{NAME}司法局2023年政府信息公开工作年度报告", "/xxgk/nb/sfj.html")])))
    portal.resources["/xxgk/nb/czj.html"] = Resource(gbk_said_utf8, "text/html")
    portal.resources["/xxgk/nb/jyj.html"] = Resource(utf8_said_gbk, "text/html")
    portal.resources["/xxgk/nb/sfj.html"] = Resource(stray, "text/html")
    crawl_one_portal(portal, tmp_path)
    reports = current_reports(tmp_path / "nianbao.db")
    for agency in ("财政局", "教育局", "司法局"):
        assert ("141025", f"{NAME}{agency}", 2023) in reports


def test_parse_text_report_with_a_stray_byte_reads_it_and_says_so(tmp_path: Path) -> None:
    text = render(sample(f"{NAME}审计局", 2023, 34), "text_tabs")
    path = tmp_path / "审计局2023年报.txt"
    path.write_bytes(text.replace("总体情况".encode(), "总体情况".encode() + b"\x80", 1))  # a stray byte
    result = CliRunner().invoke(main, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert '"agency": "古县审计局"' in result.output
    assert "文本有1个无效字节" in result.output
