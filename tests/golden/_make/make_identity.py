# ruff: noqa: E501
"""Build the golden cases whose agency and year must be read from the opening sentence or the page around it.

Run once: `.venv/bin/python tests/golden/_make/make_identity.py`; the outputs are committed.
Cases, each written the way offices publish them:
- html_trs_opening_xianfabu: a TRS page in GBK whose body opens with 根据《条例》要求，现发布《…》 (no title line
  in the body; the <h1> is outside div.TRS_Editor; ContentSource names the 政府办 that uploaded it);
- html_hanweb_opening_gongbu: a Hanweb page (#zoom, UTF-8) opening with 特向社会公布…, the 统计期限 without the
  second year, a Chinese closing date;
- html_word_heading_outside: a Word "save as web page" paste (class=MsoNormal, mso- styles) whose title is only
  in an <h1> outside the content container, a page <title> that is just the site's name, no meta tags.
"""

from __future__ import annotations

from common import GOLDEN, Cells, check_balance, write_expected
from html_tables import active_table, requests_table, reviews_table
from make_html import heading, p

OPENING = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"
_ZERO = [0, 0, 0, 0, 0, 0, 0]
_DENIED = ("state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
           "process_info", "enforcement_file", "administrative_query")
_NOT_PROCESSED = ("petition", "duplicate", "publication", "excessive", "confirmation")


def department_cells(active: list[int], received: list[int], granted: list[int], not_held: list[int],
                     reviews: list[int]) -> Cells:
    """A small department's year: few requests, most rows zero (typed per case below)."""
    cells = Cells()
    cells.numbers("active.regulations", ("issued", "repealed", "in_force"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), active[:3])
    cells.numbers("active.licensing", ("decisions",), [active[3]])
    cells.numbers("active.penalty", ("decisions",), [active[4]])
    cells.numbers("active.coercion", ("decisions",), [active[5]])
    cells.numbers("active.fees", ("amount",), [0])
    cells.requests("received", received)
    cells.requests("carried_over", _ZERO)
    cells.requests("granted", granted)
    cells.requests("partially_granted", _ZERO)
    for row in _DENIED:
        cells.requests(f"denied.{row}", _ZERO)
    cells.requests("unavailable.not_held", not_held)
    cells.requests("unavailable.needs_creation", _ZERO)
    cells.requests("unavailable.unclear", _ZERO)
    for row in _NOT_PROCESSED:
        cells.requests(f"not_processed.{row}", _ZERO)
    for row in ("no_correction", "unpaid_fee", "other"):
        cells.requests(f"other_handling.{row}", _ZERO)
    cells.requests("results_total", received)
    cells.requests("carried_forward", _ZERO)
    cells.reviews(reviews)
    check_balance(cells, "2021")
    return cells


def body(cells: Cells, opening: list[str], overview: str, signature: list[str]) -> str:
    parts = [*opening, heading("一、总体情况"), p(overview),
             heading("二、主动公开政府信息情况"), active_table("2021", cells),
             heading("三、收到和处理政府信息公开申请情况"), requests_table("2021", cells),
             heading("四、政府信息公开行政复议、行政诉讼情况"), reviews_table(cells),
             heading("五、政府信息公开工作存在的主要问题及改进情况"),
             p("一是公开内容不够丰富，二是政策解读形式较为单一。下一步将加强业务培训，丰富解读形式。"),
             heading("六、其他需要报告的事项"), p("本年度未收取信息处理费。")]
    parts += [p(line, indent=False, align="right") for line in signature]
    return "\n".join(parts)


HEADER = {"template": "2021", "tables": ["active", "requests", "reviews"], "sections": ["一", "二", "三", "四", "五", "六"]}

# ---------------------------------------------------------------------------------------------------------------
# a. 泽州县人力资源和社会保障局 2023: TRS, GBK, 现发布《…》

TRS_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_泽州县人民政府</title>
<meta name="SiteName" content="泽州县人民政府">
<meta name="SiteIDCode" content="1405250001">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2024-01-26 10:12">
<meta name="ContentSource" content="泽州县人民政府办公室">
</head>
<body>
<div class="top"><a href="javascript:StranBody()" id="StranLink">繁體版</a> | <a href="/wza/">无障碍</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zfxxgk/">政府信息公开</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; <a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">发布时间：2024-01-26 10:12　来源：泽州县人民政府办公室　浏览次数：<span>86</span></div>
<div class="TRS_Editor">
{body}
</div>
</div>
<div class="footer">主办：泽州县人民政府办公室　网站标识码：1405250001　晋ICP备05002317号</div>
</body>
</html>
"""


def make_trs() -> None:
    case = "html_trs_opening_xianfabu"
    cells = department_cells([2, 0, 11, 0, 0, 0], [2, 0, 0, 0, 0, 0, 2], [1, 0, 0, 0, 0, 0, 1],
                             [1, 0, 0, 0, 0, 0, 1], [0] * 15)
    title = "泽州县人力资源和社会保障局2023年政府信息公开工作年度报告"
    opening = [p(OPENING + f"现发布《{title}》。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                 "政府信息公开行政复议和行政诉讼情况、政府信息公开工作存在的主要问题及改进情况、其他需要报告的事项"
                 "六个部分组成。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。")]
    page = TRS_PAGE.format(title=title, body=body(
        cells, opening, "2023年，我局主动公开政府信息120条，全年共收到政府信息公开申请2件，均已按时答复。",
        ["泽州县人力资源和社会保障局", "2024年1月24日"]))
    (GOLDEN / case).mkdir(exist_ok=True)
    (GOLDEN / case / "input.html").write_bytes(page.encode("gbk"))
    header = {"agency": "泽州县人力资源和社会保障局", "year": 2023, "agency_source": "opening", **HEADER,
              "published_on": "2024-01-24", "kind": "department", "statistics_year": 2023,
              "stated": {"requests.received.total": 2}}
    write_expected(case, header, cells, {}, ())


# ---------------------------------------------------------------------------------------------------------------
# b. 会昌县医疗保障局 2023: Hanweb, #zoom, 特向社会公布

HANWEB_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}-会昌县人民政府</title>
<meta name="SiteName" content="会昌县人民政府">
<meta name="SiteIDCode" content="3607330001">
<meta name="ColumnName" content="部门年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2024-01-22 15:40">
<meta name="ContentSource" content="会昌县医保局">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<div class="bt-head"><a href="/">会昌县人民政府</a></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col100/">政务公开</a> &gt; <a href="/col/col203/">部门年报</a></div>
<table class="xxgk_table"><tr><td>索引号</td><td>014215101/2024-00057</td><td>发布机构</td><td>会昌县医疗保障局</td></tr></table>
<div class="main-txt">
<div class="main-title">{title}</div>
<div id="zoom">
{body}
</div>
<div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer">会昌县人民政府办公室主办　网站标识码：3607330001　赣ICP备05004406号</div>
</body>
</html>
"""


def make_hanweb() -> None:
    case = "html_hanweb_opening_gongbu"
    cells = department_cells([1, 0, 6, 214, 37, 0], [3, 1, 0, 0, 0, 0, 4], [2, 1, 0, 0, 0, 0, 3],
                             [1, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 1] + [0] * 10)
    title = "会昌县医疗保障局2023年政府信息公开工作年度报告"
    opening = [p(OPENING + f"特向社会公布{title}。本报告中所列数据的统计期限为2023年1月1日至12月31日。"
                 "本报告电子版可在会昌县人民政府网站（www.huichang.gov.cn）查阅和下载。")]
    page = HANWEB_PAGE.format(title=title, body=body(
        cells, opening, "2023年，我局通过县政府网站主动公开医保政策、基金监管等信息96条，收到政府信息公开申请4件。",
        ["会昌县医疗保障局", "二〇二四年一月十九日"]))
    (GOLDEN / case).mkdir(exist_ok=True)
    (GOLDEN / case / "input.html").write_bytes(page.encode("utf-8"))
    header = {"agency": "会昌县医疗保障局", "year": 2023, "agency_source": "opening", **HEADER,
              "published_on": "2024-01-19", "kind": "department", "statistics_year": 2023,
              "stated": {"requests.received.total": 4}}
    write_expected(case, header, cells, {}, ())


# ---------------------------------------------------------------------------------------------------------------
# c. 云岭省人民政府 2022: a Word paste, the title only in an <h1> outside the container

WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<title>云岭省人民政府门户网站</title>
<style>
<!-- p.MsoNormal, li.MsoNormal {{mso-style-parent:""; margin:0cm; text-align:justify; mso-pagination:none; font-size:10.5pt; font-family:"Times New Roman";}}
@page WordSection1 {{size:595.3pt 841.9pt; margin:72.0pt 90.0pt 72.0pt 90.0pt;}}
div.WordSection1 {{page:WordSection1;}} -->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class="header"><a href="/">云岭省人民政府</a> <a href="/zwgk/">政务公开</a></div>
<div class="detail">
<h1 style="text-align:center">{title}</h1>
<div class="source">发布时间：2023-03-28</div>
<div id="zoom">
<div class=WordSection1 style='layout-grid:15.6pt'>
{body}
</div>
</div>
</div>
<div class="footer">云岭省人民政府办公厅主办</div>
</body>
</html>
"""


def word_p(text: str) -> str:
    return (f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;"
            f"mso-line-height-rule:exactly'><span style='font-size:16.0pt;font-family:仿宋_GB2312;"
            f"mso-hansi-font-family:\"Times New Roman\"'>{text}<span lang=EN-US><o:p></o:p></span></span></p>")


def make_word() -> None:
    case = "html_word_heading_outside"
    cells = department_cells([9, 3, 212, 0, 0, 0], [96, 27, 2, 1, 4, 0, 130], [61, 20, 1, 1, 3, 0, 86],
                             [35, 7, 1, 0, 1, 0, 44], [5, 1, 0, 2, 8, 3, 0, 1, 1, 5, 1, 0, 0, 0, 1])
    title = "云岭省人民政府2022年政府信息公开工作年度报告"
    opening = [word_p("根据《中华人民共和国政府信息公开条例》规定，现公布2022年云岭省政府信息公开工作年度报告。"
                      "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。")]
    text = body(cells, opening, "2022年，全省各级行政机关主动公开政府信息；省政府全年收到政府信息公开申请130件。",
                ["2023年3月28日"])
    page = WORD_PAGE.format(title=title, body=text)
    (GOLDEN / case).mkdir(exist_ok=True)
    (GOLDEN / case / "input.html").write_bytes(page.encode("utf-8"))
    header = {"agency": "云岭省人民政府", "year": 2022, **HEADER, "published_on": "2023-03-28",
              "kind": "government", "statistics_year": 2022, "stated": {"requests.received.total": 130}}
    write_expected(case, header, cells, {}, ())


if __name__ == "__main__":
    make_trs()
    make_hanweb()
    make_word()
