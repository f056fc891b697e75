"""`nianbao export --csv` and `--xlsx` as a journalist opens them: the csv module and pandas read the CSV (UTF-8
with BOM), openpyxl the workbook; headers in Chinese, county names, totals and provenance checked against the
reports (tests/fixtures/store/zezhou_hrss_2023.txt: 行政复议总计 2, 直接起诉总计 17, 复议后起诉总计 0)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_datasette import build_sample_db

from db.crawl_runs import SiteRun, record_runs
from nianbao.cli import main
from parsers.report import PARSER_VERSION


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    path = build_sample_db(folder)
    # The crawl of 泽州县 that found its reports (it began before nianbao first saw them).
    record_runs(path, [SiteRun("140525", "2020-01-05T02:00:00Z", "2020-01-05T02:30:00Z", "ok", pages=12,
                               reports_found=3)])
    return path


def _export(db_path: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--output", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_csv_has_bom_chinese_headers_names_totals_and_provenance(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "年报.csv"
    assert "已导出 5 份报告" in _export(db_path, out, "--csv", "--labels", "zh")
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"  # Excel and WPS read the file as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[:5] == ["区县代码", "区县", "机关", "机关类型", "年度"]
    for label in ("本年新收申请总数", "不予公开总计", "行政复议总计", "行政诉讼总计", "解析器版本", "抓取批次",
                  "申请情况·一、本年新收政府信息公开申请数量·自然人", "复议诉讼·行政复议·结果维持",
                  "主动公开·行政规范性文件·本年制发件数"):
        assert label in header, label
    zezhou = next(row for row in rows if row["机关"] == "泽州县人力资源和社会保障局" and row["年度"] == "2023")
    assert zezhou["区县"] == "泽州县"
    assert zezhou["行政复议总计"] == "2"
    assert zezhou["行政诉讼总计"] == "17"
    assert zezhou["复议诉讼·行政诉讼·未经复议直接起诉·结果纠正"] == "4"
    assert zezhou["主动公开·行政强制·本年处理决定数量"] == ""  # not in the report: blank, not 0
    assert zezhou["未解决问题数"] == "1"
    assert zezhou["解析器版本"] == PARSER_VERSION
    assert zezhou["抓取批次开始时间"] == "2020-01-05T02:00:00Z" and zezhou["抓取批次"]
    guxian = next(row for row in rows if row["区县"] == "古县")
    assert guxian["抓取批次"] == ""  # 古县 was never crawled: its report came in by `nianbao ingest`


def test_csv_keys_headers_read_by_pandas(db_path: Path, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "reports.csv"
    _export(db_path, out, "--csv", "--year", "2023")
    frame = pandas.read_csv(out, encoding="utf-8-sig", dtype={"county_code": str})
    assert list(frame.columns[:3]) == ["county_code", "county_name", "agency"]
    assert sorted(frame["agency"]) == ["泽州县人力资源和社会保障局", "泽州县教育局"]
    zezhou = frame[frame["agency"] == "泽州县人力资源和社会保障局"].iloc[0]
    assert zezhou["county_code"] == "140525"
    assert zezhou["reviews.litigation_direct.total"] == 17
    assert zezhou["reviews_total"] == 2
    education = frame[frame["agency"] == "泽州县教育局"].iloc[0]
    assert education["received"] == 3 and education["granted"] == 3


def test_xlsx_sheets_template_headers_frozen_panes_and_findings(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "年报.xlsx"
    _export(db_path, out, "--xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["报告", "主动公开", "申请情况", "复议诉讼", "问题", "说明"]
    reviews = book["复议诉讼"]
    assert [reviews.cell(1, column).value for column in range(1, 5)] == ["区县", "机关", "年度", "报告编号"]
    assert reviews.cell(1, 5).value == "行政复议"
    assert "E1:I1" in {str(merged) for merged in reviews.merged_cells.ranges}  # 行政复议 over its five columns
    assert [reviews.cell(2, column).value for column in range(5, 10)] == ["结果维持", "结果纠正", "其他结果",
                                                                          "尚未审结", "总计"]
    assert reviews.freeze_panes == "E3"
    zezhou = next(row for row in reviews.iter_rows(min_row=3, values_only=True)
                  if row[1] == "泽州县人力资源和社会保障局" and row[2] == 2023)
    assert zezhou[0] == "泽州县"
    assert zezhou[4:9] == (1, 1, 0, 0, 2)
    requests = book["申请情况"]
    assert requests.cell(1, 5).value == "一、本年新收政府信息公开申请数量"
    assert requests.cell(2, 5).value == "自然人"
    summary = book["报告"]
    header = [cell.value for cell in summary[1]]
    assert summary.freeze_panes == "D2"
    row = next(r for r in summary.iter_rows(min_row=2, values_only=True) if r[2] == "泽州县人力资源和社会保障局"
               and r[4] == 2023)
    assert row[header.index("行政诉讼总计")] == 17
    findings = book["问题"]
    assert [cell.value for cell in findings[1]][:7] == ["区县代码", "区县", "机关", "年度", "规则代码", "问题", "说明"]
    listed = {(r[2], r[5]) for r in findings.iter_rows(min_row=2, values_only=True)}
    assert listed == {("泽州县教育局", "逾期发布"), ("泽州县卫生健康局", "未发布年度报告"),
                      ("泽州县人力资源和社会保障局", "申请收支不平衡")}  # the resolved 古县 finding is not listed
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["解析器版本（报告中）"] == PARSER_VERSION
    assert about["抓取批次"].startswith("1 次，2020-01-05T02:00:00Z")
    assert about["报告数"] == 5


def test_xlsx_needs_an_output_file(db_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--xlsx"])
    assert result.exit_code == 2
    assert "--output" in result.stderr
