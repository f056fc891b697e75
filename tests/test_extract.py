"""The extractor on small hand-written reports: each test states what a person reads in the text."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from parsers.errors import NotAReport

REQUEST_ROWS_2019 = """一、本年新收政府信息公开申请数量\t\t3\t1\t0\t0\t0\t0\t4
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t（一）予以公开\t2\t1\t0\t0\t0\t0\t3
\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0
\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
\t（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1
\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t（五）不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
\t\t4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
\t（六）其他处理\t0\t0\t0\t0\t0\t0\t0
\t（七）总计\t3\t1\t0\t0\t0\t0\t
四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0
"""

REPORT_2019 = f"""某某县交通运输局2020年政府信息公开工作年度报告
一、总体情况
2020年，我局共收到政府信息公开申请4件，均已按时答复。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t2\t2\t15
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t30\t增16\t120
其他对外管理服务事项\t5\t减3\t/
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t12\t-2\t40
行政强制\t3\t0\t—
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t2\t0
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额
政府集中采购\t4\t71万元
三、收到和处理政府信息公开申请情况
{REQUEST_ROWS_2019}
四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
某某县交通运输局
二〇二一年一月二十八日
"""


def _parse(text: str, name: str = "report.txt"):
    return parse_bytes(text.encode("utf-8"), name)


def test_extract_2019_template_reads_changes_money_and_placeholders() -> None:
    report = _parse(REPORT_2019)
    assert (report.agency, report.year, report.template) == ("某某县交通运输局", 2020, "2019")
    assert report.published_on == "2021-01-28"
    assert report.values["active.normative_documents.total_published"] == 15
    assert report.values["active.licensing.change"] == 16
    assert report.values["active.other_services.change"] == -3
    assert report.values["active.penalty.change"] == -2
    assert report.states["active.other_services.decisions"] == "none"
    assert report.values["active.coercion.decisions"] == 0
    assert report.values["active.procurement.amount"] == 71
    assert report.raw["active.procurement.amount"] == "71万元"
    assert report.units["active.procurement.amount"] == "万元"
    assert report.values["requests.other_handling.total"] == 0


def test_extract_keeps_a_blank_total_as_null_not_zero() -> None:
    report = _parse(REPORT_2019)
    assert report.values["requests.results_total.natural_person"] == 3
    assert report.values["requests.results_total.total"] is None
    assert report.states["requests.results_total.total"] == "blank"
    assert report.values["requests.unavailable.not_held.natural_person"] == 1


def test_extract_reads_section_four_by_position() -> None:
    report = _parse(REPORT_2019)
    assert report.values["reviews.review.upheld"] == 1
    assert report.values["reviews.review.total"] == 1
    assert report.values["reviews.litigation_direct.pending"] == 1
    assert report.values["reviews.litigation_direct.total"] == 1
    assert report.values["reviews.litigation_after_review.total"] == 0


def test_extract_states_the_narrative_count() -> None:
    assert _parse(REPORT_2019).stated == {"requests.received.total": 4}


def test_extract_sentence_instead_of_section_four_is_a_missing_table() -> None:
    text = REPORT_2019.replace(
        "行政复议\t行政诉讼\n1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0\n",
        "本年度未发生政府信息公开行政复议、行政诉讼情况。\n",
    )
    report = _parse(text)
    assert report.tables == ["active", "requests"]
    assert not any(key.startswith("reviews.") for key in report.values)
    assert "四：用一句话（未发生行政复议、行政诉讼）代替了统计表" in report.warnings


def test_extract_traditional_script_report() -> None:
    # Big5 gateways convert character by character (信息 stays); Taiwan wording says 資訊.
    title = "某某县交通运输局2020年政府信息公开工作年度报告"
    text = REPORT_2019.replace(title, "某某縣交通運輸局2020年政府信息公開工作年度報告").replace(
        "收到和处理政府信息公开申请情况", "收到和處理政府資訊公開申請情況"
    ).replace("一、本年新收政府信息公开申请数量", "一、本年新收政府資訊公開申請數量")
    report = _parse(text)
    assert report.agency == "某某县交通运输局"
    assert report.values["requests.received.total"] == 4


def test_extract_county_government_report_is_kind_government() -> None:
    text = REPORT_2019.replace("某某县交通运输局", "某某县人民政府")
    assert _parse(text).kind == "government"


def test_extract_unknown_row_goes_to_extra_and_missing_row_is_absent() -> None:
    text = REPORT_2019.replace("行政强制\t3\t0\t—\n", "其他主动公开文件\t7\t0\t7\n")
    report = _parse(text)
    assert "active.coercion.decisions" not in report.values
    assert report.values["extra.active.其他主动公开文件.1"] == 7


def test_extract_without_tables_is_not_a_report() -> None:
    with pytest.raises(NotAReport, match="没有找到统计表"):
        _parse("某某县交通运输局2020年政府信息公开工作年度报告\n一、总体情况\n（图片）\n")


def test_extract_tables_of_neither_template_are_unknown() -> None:
    text = "某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + REQUEST_ROWS_2019.replace(
        "（六）其他处理", "（六）其他"
    )
    report = _parse(text)
    assert report.template == "unknown"
    assert report.values["requests.received.total"] == 4
    assert report.warnings[-1] == "统计表与2019年版、2021年版模板都不相符"


def test_extract_title_after_a_breadcrumb_line_keeps_only_the_agency() -> None:
    text = "首页>政府信息公开>政府信息公开年报\n" + REPORT_2019
    assert _parse(text).agency == "某某县交通运输局"
