"""Datasette's .xlsx download (db/browse_xlsx.py) through Datasette's own client, opened with openpyxl."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import openpyxl
from test_datasette import build_sample_db

from db.browse import make_datasette
from parsers.report import PARSER_VERSION


def test_xlsx_download_of_a_table_has_chinese_headers_totals_and_provenance(tmp_path: Path) -> None:
    datasette = make_datasette(build_sample_db(tmp_path), data_dir=tmp_path / "data")

    async def fetch() -> tuple[str, bytes, str, str]:
        page = await datasette.client.get("/nianbao/report_summary?year=2023")
        download = await datasette.client.get("/nianbao/report_summary.xlsx?year=2023")
        return page.text, download.content, download.headers["content-type"], download.headers["content-disposition"]

    page, content, content_type, disposition = asyncio.run(fetch())
    assert "/nianbao/report_summary.xlsx?year=2023" in page  # offered beside csv and json
    assert content_type.endswith("spreadsheetml.sheet") and "report_summary.xlsx" in disposition
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["数据", "说明"]
    rows = list(book["数据"].iter_rows(values_only=True))
    header = rows[0]
    for label in ("区县", "机关", "报告年度", "行政复议总计", "未解决问题数"):
        assert label in header, label
    zezhou = next(row for row in rows[1:] if row[header.index("机关")] == "泽州县人力资源和社会保障局")
    assert zezhou[header.index("区县")] == "泽州县"
    assert zezhou[header.index("行政复议总计")] == 2  # tests/fixtures/store/zezhou_hrss_2023.txt
    assert zezhou[header.index("行政诉讼总计（直接起诉与复议后起诉之和）")] == 17
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["行数"] == 2
    assert about["解析器版本（报告中）"] == PARSER_VERSION
    assert about["来源页面"].endswith("/nianbao/report_summary?year=2023")


def test_xlsx_download_of_a_canned_query_keeps_its_chinese_columns(tmp_path: Path) -> None:
    datasette = make_datasette(build_sample_db(tmp_path), data_dir=tmp_path / "data")
    response = asyncio.run(datasette.client.get("/nianbao/late_reports.xlsx?year=2023"))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["数据"].iter_rows(values_only=True))
    assert rows[0][:4] == ("区县代码", "区县", "机关", "年度")
    assert rows[1][2:4] == ("泽州县教育局", 2023)
    assert len(rows) == 2
