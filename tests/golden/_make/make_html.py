# ruff: noqa: E501
"""Build the HTML golden cases (whole portal article pages) and their expected.json.

Run once: `.venv/bin/python tests/golden/_make/make_html.py`; the outputs are committed.
Cases: html_trs_gbk_2021 (TRS page, GBK, simplified) and html_traditional_2021 (UTF-8, traditional
script with pinyin annotations, report inside a layout table).
"""

from __future__ import annotations

import opencc
from common import GOLDEN, Cells, check_balance, write_expected
from html_tables import active_table, requests_table, reviews_table

TRS_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_清源县人民政府</title>
<meta name="SiteName" content="清源县人民政府">
<meta name="SiteDomain" content="www.qingyuan.gov.cn">
<meta name="SiteIDCode" content="1410990001">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ColumnType" content="信息公开，年度报告">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2024-01-24 16:05">
<meta name="ContentSource" content="清源县人民政府办公室">
<link rel="stylesheet" href="/images/style.css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">var _hmt = _hmt || []; document.write('<span>统计</span>');</script>
<style type="text/css">.nav li{{float:left}} .footer{{text-align:center}}</style>
</head>
<body>
<div class="top"><a href="javascript:StranBody()" id="StranLink">繁體版</a> | <a href="/wza/">无障碍</a> | <a href="/zhb/">长者版</a></div>
<div class="header"><img src="/images/logo.png" alt="清源县人民政府" /></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/xxgk/">政府信息公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/nb/">政府信息公开年报</a></div>
<div class="xxgk_table"><table class="xxgk_head"><tr><td>索引号：</td><td>11141099MB0000000X/2024-00012</td><td>发布机构：</td><td>清源县人民政府办公室</td></tr>
<tr><td>生成日期：</td><td>2024-01-24</td><td>主题分类：</td><td>政府信息公开年报</td></tr></table></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">发布时间：2024-01-24 16:05 来源：清源县人民政府办公室 字体：<a>大</a> <a>中</a> <a>小</a> <a href="javascript:window.print()">打印</a></div>
<div class="TRS_Editor"><style type="text/css">
.TRS_Editor P{{margin-top:0;margin-bottom:12px;line-height:1.8;font-family:仿宋;font-size:12pt;}}
.TRS_Editor TD{{font-family:仿宋;font-size:10.5pt;}}
</style>
<div class="Custom_UnionStyle">
{body}
</div></div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="close"><a href="javascript:window.close()">关闭</a></div>
</div>
<div class="footer"><p>主办单位：清源县人民政府办公室 联系电话：0357-1234567</p>
<p>网站标识码：1410990001 <a href="https://beian.miit.gov.cn">晋ICP备05001234号</a> 晋公网安备 14109902000001号</p>
<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E"));</script></div>
</body>
</html>
"""

ZOOM_PAGE = """<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<title>{title}-清源縣教育局</title>
<meta name="SiteName" content="清源縣人民政府">
<meta name="SiteIDCode" content="1410990001">
<meta name="ColumnName" content="部門年報">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2023-01-20 09:30">
<meta name="ContentSource" content="清源縣教育局">
<script src="/js/ch.js"></script>
</head>
<body>
<header class="site-header"><nav><a href="/">首頁</a> <a href="/zwgk/">政務公開</a> <a href="/xxgk/">政府資訊公開</a></nav></header>
<div class="main-wrap">
<div class="crumbs">當前位置：首頁 &gt; 政府資訊公開 &gt; 年度報告</div>
<div id="zoom">
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="layout"><tbody><tr><td>
{body}
</td></tr></tbody></table>
</div>
<div class="article-tools">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">關閉</a>】</div>
</div>
<footer><p>網站標識碼：1410990001 晉ICP備05001234號</p></footer>
</body>
</html>
"""


def p(text: str, indent: bool = True, align: str | None = None) -> str:
    lead = "&nbsp;&nbsp;&nbsp;&nbsp;" if indent else ""
    style = f' align="{align}"' if align else ""
    return f'<p class="MsoNormal"{style} style="text-indent:2em">{lead}<span style="font-family:仿宋_GB2312">{text}</span></p>'


def heading(text: str) -> str:
    return f'<p class="MsoNormal" style="text-indent:2em"><strong><span style="font-family:黑体">{text}</span></strong></p>'


# ---------------------------------------------------------------------------------------------------------------
# a. 清源县人民政府 2023, TRS page, GBK

def trs_cells() -> Cells:
    cells = Cells()
    cells.numbers("active.regulations", ("issued", "repealed", "in_force"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [5, 2, 37])
    cells.numbers("active.licensing", ("decisions",), [1236])
    cells.numbers("active.penalty", ("decisions",), [418])
    cells.numbers("active.coercion", ("decisions",), [27])
    cells.put("active.fees.amount", "356.42", 356.42)
    cells.requests("received", [38, 5, 0, 1, 2, 0, 46])
    cells.requests("carried_over", [3, 0, 0, 0, 0, 0, 3])
    cells.requests("granted", [20, 3, 0, 1, 1, 0, 25])
    cells.requests("partially_granted", [4, 0, 0, 0, 0, 0, 4])
    cells.requests("denied.state_secret", [0, 0, 0, 0, 0, 0, 0])
    cells.put("requests.denied.state_secret.research", "", None)  # an &nbsp; cell: blank, not zero
    for row in ("prohibited_by_law", "security_stability", "internal_affairs", "enforcement_file",
                "administrative_query"):
        cells.requests(f"denied.{row}", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("denied.third_party", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("denied.process_info", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("unavailable.not_held", [8, 1, 0, 0, 1, 0, 10])
    cells.requests("unavailable.needs_creation", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("unavailable.unclear", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("not_processed.petition", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("not_processed.duplicate", [1, 0, 0, 0, 0, 0, 1])
    for row in ("publication", "excessive", "confirmation"):
        cells.requests(f"not_processed.{row}", [0, 0, 0, 0, 0, 0, 0])
    for row in ("no_correction", "unpaid_fee", "other"):
        cells.requests(f"other_handling.{row}", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("results_total", [38, 4, 0, 1, 2, 0, 45])
    cells.requests("carried_forward", [3, 1, 0, 0, 0, 0, 4])
    cells.reviews([1, 0, 0, 1, 2, 1, 0, 1, 0, 2, 0, 0, 0, 0, 0])
    check_balance(cells, "2021")
    return cells


def trs_body(cells: Cells) -> str:
    parts = [
        p("本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息公开办公室"
          "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，"
          "由清源县人民政府办公室编制。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
          "如对本报告有任何疑问，请与清源县人民政府办公室联系（地址：清源县府前街1号；电话：0357-1234567）。"),
        heading("一、总体情况"),
        p("（一）主动公开。2023年，全县共主动公开政府信息3562条，其中政策文件86条，政策解读47条，"
          "重点领域信息1120条，财政预决算信息214条。"),
        p("（二）依申请公开。全年共收到政府信息公开申请46件，上年结转3件，已办结45件，结转下年度继续办理4件。"
          "&nbsp;所有申请均在法定期限内答复。"),
        p("（三）政府信息管理。严格落实公开属性源头认定和保密审查制度，全年清理行政规范性文件2件。"),
        p("（四）政府信息公开平台建设。县政府门户网站为第一公开平台，全年发布信息4860条。"),
        p("（五）监督保障。将政务公开纳入年度目标责任考核，开展社会评议1次，全年未发生责任追究情况。"),
        heading("二、主动公开政府信息情况"),
        active_table("2021", cells),
        heading("三、收到和处理政府信息公开申请情况"),
        requests_table("2021", cells),
        heading("四、政府信息公开行政复议、行政诉讼情况"),
        reviews_table(cells),
        heading("五、政府信息公开工作存在的主要问题及改进情况"),
        p("2023年我县政府信息公开工作取得一定成效，但仍存在政策解读形式单一、基层公开标准化水平不高等问题。"),
        p("2024年，我县将进一步丰富解读形式，推进基层政务公开标准化规范化建设。"),
        heading("六、其他需要报告的事项"),
        p("本年度未收取信息处理费。2023年度政务公开工作要点落实情况已在县政府门户网站专栏公开。"),
        p("清源县人民政府办公室", indent=False, align="right"),
        p("2024年1月24日", indent=False, align="right"),
    ]
    return "\n".join(parts)


def make_trs() -> None:
    case = "html_trs_gbk_2021"
    cells = trs_cells()
    title = "清源县人民政府2023年政府信息公开工作年度报告"
    page = TRS_PAGE.format(title=title, body=trs_body(cells))
    (GOLDEN / case).mkdir(exist_ok=True)
    (GOLDEN / case / "input.html").write_bytes(page.encode("gbk"))
    header = {"agency": "清源县人民政府", "year": 2023, "template": "2021", "published_on": "2024-01-24",
              "kind": "government", "statistics_year": 2023, "tables": ["active", "requests", "reviews"],
              "sections": ["一", "二", "三", "四", "五", "六"], "stated": {"requests.received.total": 46}}
    states = {"requests.denied.state_secret.research": "blank", "requests.denied.state_secret.total": "number",
              "active.fees.amount": "number"}
    write_expected(case, header, cells, states, ())


# ---------------------------------------------------------------------------------------------------------------
# b. 清源縣教育局 2022, traditional script, UTF-8, pinyin annotations, layout table

_S2T = opencc.OpenCC("s2t")


def tw(text: str) -> str:
    """Simplified → traditional as a big5 gateway prints it, with the Taiwan term 資訊 in 政府資訊公開."""
    return _S2T.convert(text).replace("政府信息公開", "政府資訊公開")


def traditional_cells() -> Cells:
    cells = Cells()
    for column in ("issued", "repealed", "in_force"):
        cells.put(f"active.regulations.{column}", "/", 0)
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [2, 0, 15])
    cells.numbers("active.licensing", ("decisions",), [86])
    cells.numbers("active.penalty", ("decisions",), [3])
    cells.numbers("active.coercion", ("decisions",), [0])
    cells.numbers("active.fees", ("amount",), [0])
    cells.requests("received", [12, 1, 0, 0, 0, 1, 14])
    cells.requests("carried_over", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("granted", [6, 1, 0, 0, 0, 0, 7])
    cells.requests("partially_granted", [1, 0, 0, 0, 0, 0, 1])
    for row in ("state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
                "enforcement_file", "administrative_query"):
        cells.requests(f"denied.{row}", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("denied.process_info", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("unavailable.not_held", [3, 0, 0, 0, 0, 1, 4])
    cells.requests("unavailable.needs_creation", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("unavailable.unclear", [0, 0, 0, 0, 0, 0, 0])
    for row in ("petition", "duplicate", "publication", "excessive", "confirmation"):
        cells.requests(f"not_processed.{row}", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("other_handling.no_correction", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("other_handling.unpaid_fee", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("other_handling.other", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("results_total", [12, 1, 0, 0, 0, 1, 14])
    cells.requests("carried_forward", [1, 0, 0, 0, 0, 0, 1])
    cells.reviews([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    check_balance(cells, "2021")
    return cells


def traditional_body(cells: Cells) -> str:
    title = tw("清源县教育局2022年政府信息公开工作年度报告")
    parts = [
        f'<p align="center"><strong><span style="font-size:18pt">{title}</span></strong></p>',
        p("根據(jù)《中華人民共和國政府資訊公開條例》和國辦公開辦函〔2021〕30號要求，編制本報告。本報告統(tǒng)計"
          "數據期限自2022年1月1日起至2022年12月31日止。"),
        heading(tw("一、总体情况")),
        p(tw("2022年，我局主动公开政府信息268条。全年共收到政府信息公开申请14件，上年结转1件，均按时答复。")),
        p(tw("我局严格落实保密审查，持续做好政府网站教育专栏建设，") + "並將政務公開納入年度考核(hé)。"),
        heading(tw("二、主动公开政府信息情况")),
        active_table("2021", cells, tw),
        heading(tw("三、收到和处理政府信息公开申请情况")),
        requests_table("2021", cells, tw),
        heading(tw("四、政府信息公开行政复议、行政诉讼情况")),
        reviews_table(cells, tw),
        heading(tw("五、政府信息公开工作存在的主要问题及改进情况")),
        p(tw("主要问题是公开内容不够丰富。下一步将加强教育领域信息公开，提升解读质量。")),
        heading(tw("六、其他需要报告的事项")),
        p(tw("本年度未收取信息处理费。")),
        p(tw("清源县教育局"), indent=False, align="right"),
        p("2023年1月20日", indent=False, align="right"),
    ]
    return "\n".join(parts)


def make_traditional() -> None:
    case = "html_traditional_2021"
    cells = traditional_cells()
    title = tw("清源县教育局2022年政府信息公开工作年度报告")
    page = ZOOM_PAGE.format(title=title, body=traditional_body(cells))
    (GOLDEN / case).mkdir(exist_ok=True)
    (GOLDEN / case / "input.html").write_bytes(page.encode("utf-8"))
    header = {"agency": "清源县教育局", "year": 2022, "template": "2021", "published_on": "2023-01-20",
              "kind": "department", "statistics_year": 2022, "tables": ["active", "requests", "reviews"],
              "sections": ["一", "二", "三", "四", "五", "六"], "stated": {"requests.received.total": 14}}
    states = {"active.regulations.issued": "none", "active.regulations.in_force": "none",
              "active.normative_documents.in_force": "number"}
    write_expected(case, header, cells, states, ("active.regulations.issued",))


if __name__ == "__main__":
    make_trs()
    make_traditional()
