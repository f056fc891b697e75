"""The report page through Datasette's own client: the three tables as the template prints them, findings marked,
the archived copy served read-only with its SHA-256, links to the agency's other years."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from test_datasette import FIXTURES, ZEZHOU_HRSS_URL, build_sample_db

from db.browse import make_datasette


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("report-page")
    db_path = build_sample_db(folder)
    datasette = make_datasette(db_path, data_dir=folder / "data")
    loop = asyncio.new_event_loop()
    loop.run_until_complete(datasette.invoke_startup())

    def get(path: str) -> Any:
        return loop.run_until_complete(datasette.client.get(path))

    yield {"get": get}
    loop.close()


def _page(served: dict[str, Any], report_id: int) -> lxml.html.HtmlElement:
    response = served["get"](f"/nianbao/reports/{report_id}")
    assert response.status_code == 200
    return lxml.html.fromstring(response.text)


def _cell(page: lxml.html.HtmlElement, key: str) -> lxml.html.HtmlElement:
    found = page.xpath(f'//td[@data-key="{key}"]')
    assert len(found) == 1, key
    return found[0]


def _row_text(page: lxml.html.HtmlElement, label: str) -> list[str]:
    """The label and values of the table line whose last row label is `label`."""
    line = page.xpath(f'//table[contains(@class, "nb-table")]//tr[th[last()][normalize-space() = "{label}"]]')
    assert line, label
    return [cell.text_content().strip() for cell in line[0].xpath("./th|./td")]


def test_report_page_2021_reads_as_printed(served: dict[str, Any]) -> None:
    page = _page(served, 1)  # 泽州县人社局 2023 (tests/fixtures/store/zezhou_hrss_2023.txt)
    text = page.text_content()
    for fact in ("泽州县人力资源和社会保障局", "泽州县（140525）", "2023", "2021年新模板", "2024-01-24"):
        assert fact in text, fact
    headings = [h.text_content() for h in page.xpath("//h2")]
    assert headings[:3] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况"]
    # As printed in the report: 行政规范性文件 1 0 1; 行政复议 1 1 0 0 2; 直接起诉 9 4 0 4 17.
    assert _row_text(page, "行政规范性文件") == ["行政规范性文件", "1", "0", "1"]
    reviews = [cell.text_content() for cell in page.xpath('//table[contains(@class, "nb-reviews")]//td')]
    assert reviews == ["1", "1", "0", "0", "2", "9", "4", "0", "4", "17", "0", "0", "0", "0", "0"]
    # The report has no 行政强制 line: the cell is empty, never a 0 the report did not print.
    assert _cell(page, "active.coercion.decisions").text_content() == ""
    # Merged headers of the template.
    assert page.xpath('//th[@colspan="7" and normalize-space() = "申请人情况"]')
    assert page.xpath('//th[@colspan="5" and normalize-space() = "法人或其他组织"]')
    assert page.xpath('//th[@rowspan="8" and normalize-space() = "（三）不予公开"]')
    assert page.xpath('//th[@colspan="10" and normalize-space() = "行政诉讼"]')
    assert _row_text(page, "8.属于行政查询事项")[0] == "8.属于行政查询事项"


def test_report_page_marks_cells_with_findings(served: dict[str, Any]) -> None:
    page = _page(served, 1)
    for key in ("requests.received.total", "requests.results_total.total"):
        cell = _cell(page, key)
        assert "nb-finding" in cell.get("class") and cell.get("title") == "收支不平"
    assert "nb-finding" not in _cell(page, "requests.received.natural_person").get("class")
    listed = "".join(page.xpath('//ol[@class="nb-findings"]/li')[0].text_content().split())
    assert "错误" in listed and "申请收支不平衡" in listed and "一、本年新收政府信息公开申请数量·总计" in listed


def test_report_page_2019_template_has_its_own_rows(served: dict[str, Any]) -> None:
    page = _page(served, 3)  # 前进区人社局 2022, printed in the 2019 template
    text = page.text_content()
    assert "2019年模板" in text
    for label in ("本年新制作数量", "其他对外管理服务事项", "政府集中采购", "采购总金额"):
        assert label in text, label
    assert page.xpath('//th[@colspan="2" and normalize-space() = "（六）其他处理"]')
    assert "三（六）1" not in text and "申请人逾期未按收费通知" not in text
    assert "没有发现问题" in text


def test_report_page_links_archived_copy_and_other_years(served: dict[str, Any]) -> None:
    page = _page(served, 1)
    assert page.xpath(f'//a[@href="{ZEZHOU_HRSS_URL}"]')
    original = (FIXTURES / "zezhou_hrss_2023.txt").read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    archive_link = page.xpath(f'//a[@href="/-/archive/{digest}"]')
    assert archive_link and archive_link[0].text_content() == "打开本系统保存的原始文件"
    assert digest in page.text_content()
    response = served["get"](f"/-/archive/{digest}")
    assert response.status_code == 200
    assert response.content == original
    assert response.headers["x-nianbao-sha256"] == digest
    assert response.headers["content-security-policy"] == "sandbox"
    # 泽州县人社局 has 2022 (built) and 2023 reports: each page links to the other.
    previous = page.xpath('//a[contains(., "2022年度报告")]')[0].get("href")
    assert "无更晚的年度报告" in page.text_content()
    earlier = lxml.html.fromstring(served["get"](f"/nianbao/reports/{previous.removeprefix('./')}").text)
    assert "2022年政府信息公开工作年度报告" in earlier.xpath("//h1")[0].text_content()
    assert earlier.xpath('//a[@href="./1" and contains(., "2023年度报告")]')


def test_archive_refuses_unknown_and_corrupted_copies(served: dict[str, Any], tmp_path: Path) -> None:
    assert served["get"]("/-/archive/" + "0" * 64).status_code == 404
    assert served["get"]("/-/archive/../nianbao.db").status_code == 404


def test_archive_says_when_a_stored_file_was_altered(tmp_path: Path) -> None:
    db_path = build_sample_db(tmp_path)
    original = (FIXTURES / "guxian_hrss_2021.txt").read_bytes()
    digest = hashlib.sha256(original).hexdigest()
    stored = tmp_path / "data" / "documents" / digest[:2] / f"{digest}.txt"
    stored.write_bytes(original + b"tampered")
    datasette = make_datasette(db_path, data_dir=tmp_path / "data")
    response = asyncio.run(datasette.client.get(f"/-/archive/{digest}"))
    assert response.status_code == 500
    assert "已损坏" in response.text and digest in response.text
