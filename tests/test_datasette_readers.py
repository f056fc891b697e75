"""What a reader of the Datasette site sees, through Datasette's own client: Chinese titles, headers and facets
on names, canned queries with Chinese parameter labels and their SQL folded, no `_memory`, and the alerts table
and agencies' emails withheld unless [serve] shows them."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from test_datasette import build_sample_db

from db.browse import make_datasette
from db.browse_access import ReaderAccess


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readers")
    path = build_sample_db(folder)
    with sqlite3.connect(path) as connection:  # what a real store holds once alerts went out
        connection.execute("UPDATE agencies SET email = 'rsj@zezhou.example.gov.cn' WHERE name LIKE '泽州县人力%'")
        connection.execute("INSERT INTO alerts (kind, recipient, status, created_at) "
                           "VALUES ('finding', 'office@jincheng.example.org', 'sent', '2024-04-01T00:00:00Z')")
    return path


def _get(db_path: Path, *paths: str, access: ReaderAccess | None = None) -> list[Any]:
    datasette = make_datasette(db_path, data_dir=db_path.parent / "data", access=access)

    async def fetch() -> list[Any]:
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_home_and_database_pages_are_chinese_without_memory(db_path: Path) -> None:
    home, database, databases = _get(db_path, "/", "/nianbao", "/.json")
    assert list(databases.json()) == ["nianbao"]
    assert "_memory" not in home.text
    home_page = lxml.html.fromstring(home.text)
    assert home_page.xpath("//h2/a")[0].text_content() == "政府信息公开年度报告库"
    assert "个数据表" in home.text and "年度报告" in [a.text_content() for a in home_page.xpath("//p/a")]
    page = lxml.html.fromstring(database.text)
    headings = [h.text_content() for h in page.xpath("//h2")]
    assert headings == ["常用查询", "汇总视图", "数据表"]
    links = [a.text_content() for a in page.xpath("//h3/a | //ul/li/a")]
    for title in ("问题一览", "年报汇总", "某年度逾期发布的年报", "区县年报成绩单", "发布机关", "年度报告"):
        assert title in links, title
    assert page.xpath('//p[@class="crumbs"]/a')[0].text_content() == "首页"


def test_problems_open_with_county_agency_year_rule_message_severity(db_path: Path) -> None:
    [response] = _get(db_path, "/nianbao/problems?_facet=county_name&_facet=rule_name")
    page = lxml.html.fromstring(response.text)
    headers = [th.text_content().strip() for th in page.xpath('//table[@class="rows-and-columns"]//th')]
    assert headers[:7] == ["问题编号", "区县", "机关", "年度", "问题", "说明", "严重程度"]
    facets = {div.get("data-column"): [li.text_content().split()[0] for li in div.xpath(".//li")]
              for div in page.xpath('//div[contains(@class, "facet-info")]')}
    assert set(facets["county_name"]) == {"泽州县", "古县"}
    assert set(facets["rule_name"]) == {"申请收支不平衡", "逾期发布", "未发布年度报告"}
    facet_titles = [strong.text_content().split()[0] for strong in page.xpath('//p[@class="facet-info-name"]/strong')]
    assert "区县" in facet_titles and "问题" in facet_titles
    rows = [[td.text_content().strip() for td in tr.xpath("./td")] for tr in page.xpath("//tbody/tr")]
    late = next(row for row in rows if row[4] == "逾期发布")
    assert late[1:7] == ["泽州县", "泽州县教育局", "2023", "逾期发布", "2024年2月20日发布，晚于1月31日", "警告"]
    assert page.xpath('//td[contains(@class, "col-report_id")]/a[starts-with(@href, "/nianbao/reports/")]')


def test_canned_query_has_chinese_labels_and_folded_sql(db_path: Path) -> None:
    filled, empty, nothing = _get(db_path, "/nianbao/late_reports?year=2023", "/nianbao/late_reports",
                                  "/nianbao/late_reports?year=1999")
    page = lxml.html.fromstring(filled.text)
    assert [label.text_content() for label in page.xpath("//form//label")] == ["年度"]
    assert page.xpath("//details[not(@open)]/pre[@id='sql-query']")  # SQL there, folded
    assert "select f.county_code" not in page.xpath("//title")[0].text_content()
    assert "泽州县教育局" in filled.text
    assert "请填写上面的“年度”后点“查询”" in empty.text
    assert "没有符合条件的结果（年度为“1999”）" in nothing.text


def test_alerts_and_emails_withheld_from_readers(db_path: Path) -> None:
    table, custom_sql, emails, agencies = _get(
        db_path, "/nianbao/alerts", "/nianbao.json?sql=select+recipient+from+alerts",
        "/nianbao.json?sql=select+email+from+agencies+where+email+is+not+null&_shape=array", "/nianbao/agencies")
    assert table.status_code == 403
    assert custom_sql.status_code == 400 and "office@jincheng" not in custom_sql.text
    assert emails.json() == []
    assert "rsj@zezhou" not in agencies.text and "泽州县人力资源和社会保障局" in agencies.text


def test_alerts_and_emails_shown_when_configured(db_path: Path) -> None:
    table, emails = _get(db_path, "/nianbao/alerts", "/nianbao.json?sql=select+email+from+agencies+where+email+"
                         "is+not+null&_shape=array", access=ReaderAccess(show_alerts=True, show_emails=True))
    assert table.status_code == 200 and "office@jincheng.example.org" in table.text
    assert emails.json() == [{"email": "rsj@zezhou.example.gov.cn"}]


def test_table_pages_have_chinese_headers_and_empty_search_says_why(db_path: Path) -> None:
    summary, search = _get(db_path, "/nianbao/report_summary", "/nianbao/reports?_search=环境保护督察")
    headers = [th.text_content().strip() for th in
               lxml.html.fromstring(summary.text).xpath('//table[@class="rows-and-columns"]//th')]
    assert headers[:4] == ["报告编号", "区县代码", "区县", "机关编号"]
    assert "行政复议总计" in headers
    assert "没有找到包含“环境保护督察”的年报" in search.text
