"""The parser says what it could not read, matches misspelled labels and checks its own reading.

Each report is REPORT_2019 of test_extract.py (a tab-separated text dump) with one thing changed the way
real reports change it; the expected values are read off that text by a person.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from test_extract import REPORT_2019

from db.report_rows import parse_status
from db.store import Store
from parsers import parse_bytes
from parsers.labels import closest_row

REVIEWS_LINE = "1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0"


def _parse(text: str):
    return parse_bytes(text.encode("utf-8"), "report.txt")


def test_labels_closest_row_is_unique_and_bounded() -> None:
    match = closest_row("理结2.其他法律行政止公开", "requests", "2021")
    assert match is not None and match.key == "denied.prohibited_by_law"
    assert closest_row("属于四类内部信息", "requests", "2021") is None  # as near to 三类内部事务 as to 四类过程性
    assert closest_row("公开", "requests", "2021") is None
    assert closest_row("其他主动公开文件", "active", "2021") is None  # 湖北's extra row is no template row


def test_extract_misspelled_label_with_merged_label_run_in_keeps_its_cells() -> None:
    text = REPORT_2019.replace("\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0",
                               "\t\t理结2.其他法律行政止公开\t1\t0\t0\t0\t0\t0\t1")
    report = _parse(text)
    assert report.values["requests.denied.prohibited_by_law.natural_person"] == 1
    assert report.values["requests.denied.prohibited_by_law.total"] == 1
    assert not [key for key in report.values if key.startswith("extra.")]
    assert "行“其他法律行政止公开”按“其他法律行政法规禁止公开”读取" in report.warnings
    assert report.reading_doubt
    assert any(warning.startswith("读取存疑（reading_doubt）") for warning in report.warnings)


def test_extract_clean_report_has_no_doubt_and_is_parsed() -> None:
    report = _parse(REPORT_2019.replace("\t（七）总计\t3\t1\t0\t0\t0\t0\t", "\t（七）总计\t3\t1\t0\t0\t0\t0\t4"))
    assert not report.reading_doubt
    assert parse_status(report) == "parsed"


def test_extract_table_read_short_is_partial_with_the_count() -> None:
    rows = [line for line in REPORT_2019.splitlines() if "（五）不予处理" not in line
            and not line.startswith(("\t\t2.重复申请", "\t\t3.要求提供", "\t\t4.无正当理由", "\t\t5.要求行政机关"))]
    report = _parse("\n".join(rows))
    assert parse_status(report) == "partial"
    assert report.incomplete == ["requests"]
    # 2019 table 三: 23 rows of 7; the five rows of （五）不予处理 are gone.
    assert "三、收到和处理政府信息公开申请情况：表格只读到 126 个单元格，模板有 161 个" in report.warnings


def test_extract_section_four_heading_without_its_table_is_partial() -> None:
    report = _parse(REPORT_2019.replace("行政复议\t行政诉讼\n" + REVIEWS_LINE + "\n", "（表格见附件）\n"))
    assert parse_status(report) == "partial"
    assert any(warning.startswith("四、政府信息公开行政复议、行政诉讼情况：正文有此部分，但未能读出其表格")
               for warning in report.warnings)


def test_extract_reviews_stray_number_is_left_out_by_the_totals() -> None:
    # A footnote mark 3 printed after the 15 numbers: the last 15 break every 总计, the first 15 keep them.
    line = "2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t0\t1\t0\t1\t3"
    report = _parse(REPORT_2019.replace(REVIEWS_LINE, line))
    assert [report.values[f"reviews.review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] \
        == [2, 1, 0, 1, 4]
    assert report.values["reviews.litigation_after_review.total"] == 1
    assert "四、政府信息公开行政复议、行政诉讼情况：表格数字按使各项总计相符的 15 个读取" in report.warnings
    assert report.reading_doubt


def test_extract_reviews_numbers_broken_over_two_lines() -> None:
    report = _parse(REPORT_2019.replace(REVIEWS_LINE, "2\t1\t0\t1\t4\t1\t0\t0\t1\t2\n0\t0\t1\t0\t1"))
    assert report.values["reviews.review.total"] == 4
    assert report.values["reviews.litigation_direct.total"] == 2
    assert report.values["reviews.litigation_after_review.other"] == 1
    assert "reviews" not in report.incomplete


def test_extract_reviews_one_row_per_category() -> None:
    rows = "行政复议\t2\t1\t0\t1\t4\n未经复议直接起诉\t1\t0\t0\t1\t2\n复议后起诉\t0\t0\t1\t0\t1"
    report = _parse(REPORT_2019.replace("行政复议\t行政诉讼\n" + REVIEWS_LINE, rows))
    assert report.values["reviews.review.upheld"] == 2
    assert report.values["reviews.litigation_direct.pending"] == 1
    assert report.values["reviews.litigation_after_review.total"] == 1
    assert "reviews" in report.tables and not report.incomplete


def test_store_keeps_partial_status_and_chinese_warnings(tmp_path: Path) -> None:
    rows = [line for line in REPORT_2019.splitlines() if not line.startswith("\t\t8.属于行政查询事项")]
    store = Store.open(tmp_path / "nianbao.db", tmp_path / "data")
    try:
        outcome = store.ingest("\n".join(rows).encode("utf-8"), url="http://127.0.0.1/report.txt")
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        status, warnings = db.execute("SELECT parse_status, warnings FROM reports WHERE id = ?",
                                      (outcome.report_id,)).fetchone()
    assert status == "partial"
    assert "三、收到和处理政府信息公开申请情况：表格只读到 154 个单元格，模板有 161 个" in json.loads(warnings)


def test_store_keeps_the_reading_doubt_for_the_checks(tmp_path: Path) -> None:
    text = REPORT_2019.replace("\t\t2.其他法律行政法规禁止公开", "\t\t理结2.其他法律行政止公开")
    store = Store.open(tmp_path / "nianbao.db", tmp_path / "data")
    try:
        store.ingest(text.encode("utf-8"), url="http://127.0.0.1/report.txt")
        (stored,) = list(store.current_reports())
    finally:
        store.close()
    assert stored.report.reading_doubt
    assert "行“其他法律行政止公开”按“其他法律行政法规禁止公开”读取" in stored.report.warnings


def test_text_label_and_number_on_one_line_are_a_row() -> None:
    # A converter's dump of a borderless table: `行政许可 97`, the label and its number on one line.
    text = REPORT_2019.replace("行政许可\t30\t增16\t120", "行政许可 30 增16 120").replace(
        "行政强制\t3\t0\t—", "行政强制 3 0 —")
    report = _parse(text)
    assert [report.values[f"active.licensing.{c}"] for c in ("prev_year_items", "change", "decisions")] == [30, 16, 120]
    assert report.values["active.coercion.decisions"] == 0
    assert report.states["active.coercion.decisions"] == "none"
    narrative = _parse(REPORT_2019.replace("无。\n六", "全年主动公开规章 2 件。\n六"))
    assert "全年主动公开规章 2 件。" in narrative.text


def test_extract_three_other_under_a_broken_group_label_is_other_handling() -> None:
    # A PDF dump lost the rows 1 and 2 of （六）其他处理 and broke its group label: 3.其他 is still （六）3.
    text = (Path(__file__).parent / "golden" / "text_pipes_2021" / "input.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "（六）其他处理" not in line and "2.申请人逾期" not in line]
    broken = "\n".join(line.replace("|  |  | 3.其他 |", "|  | 他处理 | 3.其他 |") for line in lines)
    assert "| 他处理 | 3.其他 |" in broken
    report = _parse(broken)
    assert report.values["requests.other_handling.other.total"] == 0
    assert not [key for key in report.values if key.startswith("extra.requests")]


def test_extract_reviews_two_numbers_in_one_cell_are_read_as_two() -> None:
    # A missed ruling line: table 四's 行政诉讼 结果维持 and 结果纠正 printed in one cell, `13 4`.
    line = "72\t64\t178\t37\t351\t13 4\t8\t1\t26\t12\t1\t1 6\t20"
    report = _parse(REPORT_2019.replace(REVIEWS_LINE, line))
    assert [report.values[f"reviews.litigation_direct.{c}"] for c in ("upheld", "corrected", "other", "pending",
                                                                      "total")] == [13, 4, 8, 1, 26]
    assert report.values["reviews.litigation_after_review.pending"] == 6
    assert report.reading_doubt
    assert any("按两格读取" in warning for warning in report.warnings)


def _pipes_2021() -> str:
    return (Path(__file__).parent / "golden" / "text_pipes_2021" / "input.txt").read_text(encoding="utf-8")


def test_extract_numbers_row_without_label_is_the_next_template_row() -> None:
    # A PDF dump printed the label 2.没有现成信息需要另行制作 on loose lines elsewhere; its numbers follow row 1.
    text = _pipes_2021().replace("|  |  | 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |",
                                 "| 0 | 0 | 0 | 0 | 0 | 1 | 1 |")
    assert "另行制作 |" not in text
    report = _parse(text)
    assert report.values["requests.unavailable.needs_creation.other"] == 1
    assert report.values["requests.unavailable.needs_creation.total"] == 1
    assert "三、收到和处理政府信息公开申请情况：一行没有行名的数字按表中顺序读作“三（四）2.没有现成信息需要另行制作”" \
        in report.warnings
    assert report.reading_doubt


def test_extract_label_fragments_shared_by_two_rows_follow_the_table_order() -> None:
    # Both rows of （六） end in 行政机关不再处理其政府信息公开申请; a dump kept only that part of each label.
    first = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    second = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    text = _pipes_2021().replace(first, "行政机关不再处理其政府信息公").replace(second, "行政机关不再处理其政")
    report = _parse(text)
    assert report.values["requests.other_handling.no_correction.total"] == 0
    assert report.values["requests.other_handling.unpaid_fee.total"] == 0
    assert not [key for key in report.values if key.startswith("extra.")]
    assert "行“行政机关不再处理其政”按“申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”读取" \
        in report.warnings
