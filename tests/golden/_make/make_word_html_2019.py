# ruff: noqa: E501
"""Builds tests/golden/html_word_2019_change_zeros/input.html: a 2019-template report saved from Word as a
web page. Section 二 is one Word table whose sub-tables have different column widths, so Word's HTML
spans cells over a finer grid and the colspans differ row to row (misaligned columns); 本年增/减 holds 0s.

Run once: `.venv/bin/python tests/golden/_make/make_word_html_2019.py`; expected.json is typed by hand.
"""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "html_word_2019_change_zeros" / "input.html"


def td(text: str, colspan: int = 1, rowspan: int = 1, w: int = 60) -> str:
    sp = (f' colspan={colspan}' if colspan > 1 else '') + (f' rowspan={rowspan}' if rowspan > 1 else '')
    body = text if text else "<o:p>&nbsp;</o:p>"
    return (f"<td width={w*colspan} valign=top style='width:{w*colspan}pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'{sp}>"
            f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.5pt;font-family:仿宋_GB2312'>{body}<o:p></o:p></span></p></td>")
rows = []
# grid of 7 slots: label 2 | 2 | 1 | 2  for (一); (五)(六): label 2 | 1 | 2 | 2 ; (八): label 2 | 1 | 4; (九): label 2 | 2 | 3
rows.append(td("第二十条第（一）项", 7))
rows.append(td("信息内容", 2) + td("本年新<br>制作数量", 2) + td("本年新<br>公开数量") + td("对外公开<br>总数量", 2))
rows.append(td("规章", 2) + td("0", 2) + td("0") + td("0", 2))
rows.append(td("规范性文件", 2) + td("4", 2) + td("4") + td("37", 2))
rows.append(td("第二十条第（五）项", 7))
rows.append(td("信息内容", 2) + td("上一年<br>项目数量", 2) + td("本年<br>增/减") + td("处理决定数量", 2))
rows.append(td("行政许可", 2) + td("58") + td("0", 2) + td("2316", 2))
rows.append(td("其他对外管理服务事项", 2) + td("7") + td("0", 2) + td("145", 2))
rows.append(td("第二十条第（六）项", 7))
rows.append(td("信息内容", 2) + td("上一年<br>项目数量", 2) + td("本年<br>增/减") + td("处理决定数量", 2))
rows.append(td("行政处罚", 2) + td("112") + td("-3", 2) + td("64", 2))
rows.append(td("行政强制", 2) + td("9") + td("0", 2) + td("2", 2))
rows.append(td("第二十条第（八）项", 7))
rows.append(td("信息内容", 2) + td("上一年<br>项目数量", 2) + td("本年<br>增/减", 3))
rows.append(td("行政事业性收费", 2) + td("3") + td("0", 4))
rows.append(td("第二十条第（九）项", 7))
rows.append(td("信息内容", 2) + td("采购项目数量", 2) + td("采购总金额", 3))
rows.append(td("政府集中采购", 2) + td("6", 2) + td("386500元", 3))
active = "\n".join(f"<tr style='height:15.6pt'>{r}</tr>" for r in rows)

RC = ["自然人","商业企业","科研机构","社会公益组织","法律服务机构","其他","总计"]
req = [
 ("一、本年新收政府信息公开申请数量", None, [4,1,0,0,0,0,5]),
 ("二、上年结转政府信息公开申请数量", None, [0,0,0,0,0,0,0]),
 ("（一）予以公开", "", [2,1,0,0,0,0,3]),
 ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", [0,0,0,0,0,0,0]),
 ("1.属于国家秘密", "（三）不予公开", [0]*7), ("2.其他法律行政法规禁止公开", "（三）不予公开", [0]*7),
 ("3.危及“三安全一稳定”", "（三）不予公开", [0]*7), ("4.保护第三方合法权益", "（三）不予公开", [0]*7),
 ("5.属于三类内部事务信息", "（三）不予公开", [0]*7), ("6.属于四类过程性信息", "（三）不予公开", [0]*7),
 ("7.属于行政执法案卷", "（三）不予公开", [0]*7), ("8.属于行政查询事项", "（三）不予公开", [0]*7),
 ("1.本机关不掌握相关政府信息", "（四）无法提供", [1,0,0,0,0,0,1]), ("2.没有现成信息需要另行制作", "（四）无法提供", [0]*7),
 ("3.补正后申请内容仍不明确", "（四）无法提供", [0]*7),
 ("1.信访举报投诉类申请", "（五）不予处理", [1,0,0,0,0,0,1]), ("2.重复申请", "（五）不予处理", [0]*7),
 ("3.要求提供公开出版物", "（五）不予处理", [0]*7), ("4.无正当理由大量反复申请", "（五）不予处理", [0]*7),
 ("5.要求行政机关确认或重新出具已获取信息", "（五）不予处理", [0]*7),
 ("（六）其他处理", "", [0]*7), ("（七）总计", "", [4,1,0,0,0,0,5]),
 ("四、结转下年度继续办理", None, [0]*7),
]
r3 = [td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3) + td("申请人情况", 7),
      td("自然人", 1, 2) + td("法人或其他组织", 5) + td("总计", 1, 2),
      "".join(td(h) for h in ["商业<br>企业","科研<br>机构","社会公益<br>组织","法律服务<br>机构","其他"])]
groups_done: set[str] = set()
first_result = True
nres = sum(1 for _, g, _ in req if g is not None)
for label, group, nums in req:
    cells = ""
    if group is None:
        cells += td(label, 3)
    else:
        if first_result:
            cells += td("三、本年度办理结果", 1, nres)
            first_result = False
        if group == "":
            cells += td(label, 2)
        else:
            if group not in groups_done:
                cells += td(group, 1, sum(1 for _, g, _ in req if g == group))
                groups_done.add(group)
            cells += td(label)
    cells += "".join(td(str(n)) for n in nums)
    r3.append(cells)
requests = "\n".join(f"<tr>{r}</tr>" for r in r3)
heads = ["结果维持","结果纠正","其他结果","尚未审结","总计"]
r4 = [td("行政复议", 5) + td("行政诉讼", 10),
      "".join(td(h, 1, 2) for h in heads) + td("未经复议直接起诉", 5) + td("复议后起诉", 5),
      "".join(td(h) for h in heads * 2),
      "".join(td(str(n)) for n in [1,0,0,0,1, 0,0,0,0,0, 0,0,0,0,0])]
reviews = "\n".join(f"<tr>{r}</tr>" for r in r4)
T = "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>\n{}\n</table>"
html = f"""<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<title>青川县交通运输局2019年政府信息公开工作年度报告</title>
<style><!-- p.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>青川县交通运输局2019年政府信息公开工作年度报告</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。</span></p>
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>一、总体情况</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>2019年，我局认真贯彻落实新修订的《条例》，全年共受理政府信息公开申请5件，均已按时答复。</span></p>
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>二、主动公开政府信息情况</span></b></p>
{T.format(active)}
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>三、收到和处理政府信息公开申请情况</span></b></p>
{T.format(requests)}
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>四、政府信息公开行政复议、行政诉讼情况</span></b></p>
{T.format(reviews)}
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>五、存在的主要问题及改进情况</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>政策解读的形式还不够丰富。2020年，我局将进一步加强解读工作。</span></p>
<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>六、其他需要报告的事项</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>无。</span></p>
<p class=MsoNormal align=right style='text-align:right'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>青川县交通运输局</span></p>
<p class=MsoNormal align=right style='text-align:right'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>2020年1月20日</span></p>
</div></body></html>
"""
OUTPUT.write_text(html, encoding="utf-8")
