"""Two county portals whose reports name their author the way real offices do, differently every year.

The commonest real opening sentence, 根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，现发布《XX县人社局
2023年政府信息公开工作年度报告》, and its variants (特向社会公布…, 现将…予以公布, 现将本单位…报告如下) open these
reports; the body carries no title line (the title is in an <h1> outside the article container), link texts use
short forms (县人社局, 卫健委), and every page's ContentSource names the 政府办 that uploaded it. A crawl must still
give each department one agency across its years.

清源县 (141099) is a TRS site in GBK; 石城县 (360799) a Hanweb-style site whose department reports are partly
DOCX attachments. 清源县教育体育局 published 2021 and 2022 but not 2023: the one planted missing report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from samples.generate import random_report
from samples.layout import Layout, Text, layout
from samples.model import SampleReport
from samples.portals import Portal, Resource
from samples.render import html_body
from samples.render_docx import render_docx

YEARS = (2021, 2022, 2023)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LAW = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"


@dataclass(frozen=True)
class Department:
    """A body of the county: its full name (without the county) and the short form its own staff write."""

    name: str
    short: str


GOVERNMENT = Department("人民政府", "人民政府")
DEPARTMENTS = (
    Department("人力资源和社会保障局", "人社局"),
    Department("教育体育局", "教体局"),
    Department("市场监督管理局", "市场监管局"),
    Department("卫生健康委员会", "卫健委"),
)


def opening(county: str, body: Department, year: int, variant: int) -> str:
    """The first sentence of the report, in one of the four wordings offices use."""
    full, short = county + body.name, county + body.short
    wordings = (
        f"{LAW}现发布《{full}{year}年政府信息公开工作年度报告》。",
        f"{LAW}特向社会公布{short}{year}年度政府信息公开工作年度报告。",
        f"根据《中华人民共和国政府信息公开条例》规定，现将本单位{year}年政府信息公开工作年度报告如下：",
        f"根据《中华人民共和国政府信息公开条例》要求，现将县{body.short}{year}年政府信息公开工作年度报告予以公布。",
    )
    return wordings[variant % len(wordings)]


def office_layout(report: SampleReport, first_sentence: str) -> Layout:
    """The report as the office wrote it: no title line in the body, the opening sentence first."""
    printed = layout(report)
    blocks = [block for block in printed.blocks if not (isinstance(block, Text) and block.role == "title")]
    return Layout(printed.title, [Text(first_sentence), *blocks])


def _link_title(county: str, body: Department, year: int, variant: int) -> str:
    name = county + (body.short if variant % 2 else body.name)
    return f"{name}{year}年{'度' if variant == 1 else ''}政府信息公开工作年度报告"


def _trs_article(county: str, title: str, content: str, date: str) -> Resource:
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
        f"<title>{escape(title)}_{county}人民政府</title>"
        f'<meta name="SiteName" content="{county}人民政府"><meta name="ArticleTitle" content="{escape(title)}">'
        f'<meta name="PubDate" content="{date} 09:30"><meta name="ContentSource" content="{county}人民政府办公室">'
        "</head><body>"
        f'<div class="nav"><a href="/">首页</a> <a href="/zfxxgk/">政府信息公开</a></div>'
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; '
        '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></div>'
        f'<div class="article"><h1 class="title">{escape(title)}</h1>'
        f'<div class="info">发布时间：{date}　来源：{county}人民政府办公室</div>'
        f'<div class="TRS_Editor">{content}</div></div>'
        f'<div class="footer">主办：{county}人民政府办公室　网站标识码：1410990001</div></body></html>'
    )
    return Resource(page.encode("gb18030"), "text/html")


def _hanweb_article(county: str, title: str, content: str, date: str) -> Resource:
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}-{county}人民政府</title>"
        f'<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{date} 15:00">'
        f'<meta name="ContentSource" content="{county}人民政府办公室"></head><body>'
        '<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; '
        '<a href="/col/col200/index.html">部门年报</a></div>'
        f'<div class="main-txt"><div class="main-title">{escape(title)}</div>'
        f'<div id="zoom">{content}</div></div>'
        f'<div class="footer">{county}人民政府办公室主办</div></body></html>'
    )
    return Resource(page.encode("utf-8"))


def _list_page(charset: str, title: str, items: list[tuple[str, str]]) -> Resource:
    links = "".join(f'<li><a href="{href}" title="{escape(text)}">{escape(text)}</a><span>2024-03-25</span></li>'
                    for text, href in items)
    page = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{escape(title)}</title></head><body><ul>{links}</ul></body></html>")
    return Resource(page.encode("gb18030" if charset == "gbk" else "utf-8"),
                    "text/html" if charset == "gbk" else "text/html; charset=utf-8")


def _published(county: str, body: Department, year: int) -> bool:
    return not (county == "清源县" and body.name == "教育体育局" and year == 2023)


def _reports(county: str, seed: int) -> list[tuple[Department, int, SampleReport, int]]:
    """(body, year, report, wording) for every report the county publishes."""
    found = []
    rng = random.Random(seed)
    for index, body in enumerate((GOVERNMENT, *DEPARTMENTS)):
        for year in YEARS:
            if _published(county, body, year):
                report = random_report(random.Random(rng.randint(0, 10**6)), county + body.name, year, "2021")
                found.append((body, year, report, index + year))
    return found


def trs_identity_portal(code: str = "141099", county: str = "清源县") -> Portal:
    """TRS in GBK: every report is its article page, the title only in the <h1> and meta."""
    items: list[tuple[str, str]] = []
    res: dict[str, Resource] = {
        "/": _list_page("gbk", f"{county}人民政府", [("政府信息公开", "/zfxxgk/")]),
        "/zfxxgk/": _list_page("gbk", "政府信息公开", [("政府信息公开年报", "/zfxxgk/zfxxgknb/")]),
    }
    reports = _reports(county, 11)
    for number, (body, year, report, variant) in enumerate(reports):
        title = _link_title(county, body, year, variant)
        path = f"/zfxxgk/zfxxgknb/{year + 1}01/t{year + 1}0125_{1000 + number}.html"
        content = html_body(office_layout(report, opening(county, body, year, variant)))
        res[path] = _trs_article(county, title, content, f"{year + 1}-01-25")
        items.append((title, path))
    res["/zfxxgk/zfxxgknb/"] = _list_page("gbk", "政府信息公开年报", items)
    return Portal(code, county, res, [r for _, _, r, _ in reports])


def hanweb_identity_portal(code: str = "360799", county: str = "石城县") -> Portal:
    """Hanweb style: /art/… article pages in #zoom; department reports from 2022 on are DOCX attachments."""
    items: list[tuple[str, str]] = []
    res: dict[str, Resource] = {
        "/": _list_page("utf-8", f"{county}人民政府", [("政务公开", "/col/col100/index.html")]),
        "/col/col100/index.html": _list_page("utf-8", "政务公开", [("政府信息公开年报", "/col/col200/index.html")]),
    }
    reports = _reports(county, 23)
    for number, (body, year, report, variant) in enumerate(reports):
        title = _link_title(county, body, year, variant)
        path = f"/art/{year + 1}/1/20/art_200_{5000 + number}.html"
        printed = office_layout(report, opening(county, body, year, variant))
        if body is GOVERNMENT or year == 2021:
            content = html_body(printed)
        else:
            file = f"/module/download/downfile.jsp?classid=0&filename={number:04d}ab3c.docx"
            res[file] = Resource(render_docx(printed), DOCX)
            content = f'<p>详见附件。</p><p><a href="{file}">附件：年度报告.docx</a></p>'
        res[path] = _hanweb_article(county, title, content, f"{year + 1}-01-20")
        items.append((title, path))
    res["/col/col200/index.html"] = _list_page("utf-8", "政府信息公开年报", items)
    return Portal(code, county, res, [r for _, _, r, _ in reports])


def identity_portals() -> list[Portal]:
    """The TRS and the Hanweb county of tests/test_crawl_identity.py."""
    return [trs_identity_portal(), hanweb_identity_portal()]
