"""Builds tests/golden/text_pipes_traditional_pinyin_2021/input.txt as a converter makes it: a report typed in
simplified script, turned into traditional script with each traditional character annotated by its pinyin
(根據(jù)), tables flattened to pipe rows without leading pipe and with empty cells collapsed (|||).

Run once by hand: needs pypinyin (not a nianbao dependency). The numbers are in expected.json, typed by hand.
"""
# ruff: noqa: E501
from __future__ import annotations

from pathlib import Path

import opencc
from pypinyin import Style, pinyin

OUTPUT = Path(__file__).resolve().parent.parent / "text_pipes_traditional_pinyin_2021" / "input.txt"

S = """某某县市场监督管理局2023年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室印发的年度报告格式要求编制。本报告中使用数据统计期限为2023年1月1日至2023年12月31日。
一、总体情况
2023年，我局坚持以公开为常态、不公开为例外。全年共收到政府信息公开申请12件，上年结转1件，均已按期答复。
二、主动公开政府信息情况
第二十条第(一)项 | |||
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 0 |
行政规范性文件 | 2 | 1 | 5 |
第二十条第(五)项 | |||
信息内容 | 本年处理决定数量 |||
行政许可 | 126 |||
第二十条第(六)项 | |||
信息内容 | 本年处理决定数量 |||
行政处罚 | 38 |||
第二十条第(七)项 | |||
行政强制 | 0 |||
第二十条第(八)项 | |||
信息内容 | 本年收费金额(单位:万元) |||
行政事业性收费 | 1.25 |||
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) ||| 申请人情况 ||||||
||| 自然人 | 法人或其他组织 |||| | 总计 |
|||| 商业 企业 | 科研 机构 | 社会 公益组织 | 法律服务 机构 | 其他 ||
一、本年新收政府信息公开申请数量 ||| 9 | 2 | 0 | 0 | 1 | 0 | 12 |
二、上年结转政府信息公开申请数量 ||| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
三、本年度办理结果 | (一)予以公开 || 5 | 1 | 0 | 0 | 0 | 0 | 6 |
| (二)部分公开(区分处理的,只计这一情形,不计其他情形) || 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| (三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 4.保护第三方合法权益 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|| 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| (四)无法提供 | 1.本机关不掌握相关政府信息 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |
|| 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| (五)不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 2.重复申请 | 0 | 0 | 0 | 0 | 1 | 0 | 1 |
|| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| (六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
|| 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 || 0 |
|| 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| (七)总计 || 9 | 2 | 0 | 0 | 1 | 0 | 12 |
四、结转下年度继续办理 ||| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
四、政府信息公开行政复议、行政诉讼情况
行政复议 ||||| 行政诉讼 |||||||||
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 ||||| 复议后起诉 |||||
||||| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
1 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
一是主动公开的及时性有待提高；二是政策解读形式较为单一。下一步，我局将进一步规范公开流程。
六、其他需要报告的事项
本年度未收取信息处理费。
某某县市场监督管理局
2024年1月22日
"""



def annotate(simplified: str) -> str:
    """Traditional script, each character that changed followed by its pinyin in parentheses."""
    traditional = opencc.OpenCC("s2t").convert(simplified)
    out: list[str] = []
    for before, after in zip(simplified, traditional, strict=True):
        out.append(after)
        if before != after:
            out.append("(" + pinyin(before, style=Style.TONE)[0][0] + ")")
    return "".join(out)


if __name__ == "__main__":
    OUTPUT.write_text(annotate(S), encoding="utf-8")
