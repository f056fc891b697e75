"""The extractor on spanned grids as HTML and DOCX tables give them (built with GridBuilder)."""

from __future__ import annotations

from parsers.extract import extract_report
from parsers.grid import Document, GridBuilder, Paragraph


def _active_2021_table() -> GridBuilder:
    grid = GridBuilder()
    grid.new_row()
    grid.add("第二十条第（一）项", colspan=4)
    grid.new_row()
    for text in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"):
        grid.add(text)
    grid.new_row()
    for text in ("规章", "0", "0", "0"):
        grid.add(text)
    grid.new_row()
    for text in ("行政规范性文件", "2", "1", "9"):
        grid.add(text)
    grid.new_row()
    grid.add("第二十条第（五）项", colspan=4)
    grid.new_row()
    grid.add("信息内容")
    grid.add("本年处理决定数量", colspan=3)
    grid.new_row()
    grid.add("行政许可")
    grid.add("56", colspan=3)  # one value spanning the three number columns
    grid.new_row()
    grid.add("第二十条第（八）项", colspan=4)
    grid.new_row()
    grid.add("信息内容")
    grid.add("本年收费金额（单位：万元）", colspan=3)
    grid.new_row()
    grid.add("行政事业性收费")
    grid.add("3.5", colspan=3)
    return grid


def _requests_head(grid: GridBuilder) -> None:
    grid.new_row()
    grid.add("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3)
    grid.add("申请人情况", colspan=7)
    grid.new_row()
    grid.add("自然人", rowspan=2)
    grid.add("法人或其他组织", colspan=5)
    grid.add("总计", rowspan=2)
    grid.new_row()
    for text in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
        grid.add(text)


def test_extract_grid_reads_value_cells_spanning_columns_once() -> None:
    document = Document([
        Paragraph("某县教育局2023年政府信息公开工作年度报告"),
        Paragraph("二、主动公开政府信息情况"),
        _active_2021_table().table(),
    ])
    report = extract_report(document, "grid.html")
    assert report.template == "2021"
    assert report.values["active.normative_documents.in_force"] == 9
    assert report.values["active.licensing.decisions"] == 56
    assert report.values["active.fees.amount"] == 3.5


def test_extract_grid_reads_rowspanned_group_labels() -> None:
    grid = GridBuilder()
    _requests_head(grid)
    grid.new_row()
    grid.add("一、本年新收政府信息公开申请数量", colspan=3)
    for text in ("5", "1", "0", "0", "0", "0", "6"):
        grid.add(text)
    grid.new_row()
    grid.add("三、本年度办理结果", rowspan=3)
    grid.add("（三）不予公开", rowspan=2)
    grid.add("1.属于国家秘密")
    for text in ("1", "0", "0", "0", "0", "0", "1"):
        grid.add(text)
    grid.new_row()
    grid.add("2.其他法律行政法规禁止公开")
    for text in ("0", "0", "0", "0", "0", "0", "0"):
        grid.add(text)
    grid.new_row()
    grid.add("（七）总计", colspan=2)
    for text in ("4", "1", "0", "0", "0", "0", ""):
        grid.add(text)
    document = Document([Paragraph("三、收到和处理政府信息公开申请情况"), grid.table()])
    report = extract_report(document, "grid.html")
    assert report.values["requests.received.total"] == 6
    assert report.values["requests.denied.state_secret.natural_person"] == 1
    assert report.values["requests.denied.prohibited_by_law.total"] == 0
    assert report.values["requests.results_total.natural_person"] == 4
    assert report.states["requests.results_total.total"] == "blank"
    assert report.tables == ["requests"]
