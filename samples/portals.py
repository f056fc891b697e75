"""Fixture county portals (TRS, Hanweb, plain) serving sample reports, decoys and obstacles.

`fixture_portals()` builds three portals as path → Resource maps; `samples.portal_server.serve()` puts each
on its own 127.0.0.1 port. The tests, the demo and bench/crawl.py share them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from html import escape

from samples.generate import random_report
from samples.layout import layout
from samples.model import SampleReport
from samples.render import html_body, render

LAST_MODIFIED = "Mon, 25 Mar 2024 09:30:00 GMT"


@dataclass
class Resource:
    """One URL of a fixture portal: bytes with a type, or a redirect/status; POST replies for dataproxy.jsp."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # redirect target (absolute or root-relative)
    post: dict[str, bytes] = field(default_factory=dict)  # startrecord → reply for Hanweb dataproxy.jsp
    last_modified: str = LAST_MODIFIED

    @property
    def etag(self) -> str:
        """A strong ETag from the content."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Portal:
    """A fixture county site: its code, name, resources by path, and the reports it really publishes."""

    code: str
    name: str
    resources: dict[str, Resource]
    reports: list[SampleReport] = field(default_factory=list)


def sample(agency: str, year: int, seed: int) -> SampleReport:
    """A consistent 2021-template report for an agency and year (the same for the same seed)."""
    return random_report(random.Random(seed), agency, year, "2021")


def _page(title: str, body: str, charset: str = "utf-8", meta: dict[str, str] | None = None,
          scripts: str = "") -> str:
    metas = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (meta or {}).items())
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{escape(title)}</title>{metas}</head><body>"
            '<div class="nav"><a href="/">首页</a> <a href="/hdjl/">互动交流</a> <a href="/xwzx/">新闻中心</a></div>'
            f"{body}{scripts}<div class=\"footer\">网站标识码：{escape(title[:10])} ICP备</div></body></html>")


def _html(text: str, charset: str = "utf-8") -> Resource:
    codec = "gb18030" if charset == "gbk" else "utf-8"
    return Resource(text.encode(codec), f"text/html; charset={charset}" if charset == "utf-8" else "text/html")


def _links(items: list[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}" title="{escape(t)}">{escape(t)}</a><span>2024-03-25</span></li>'
                            for t, href in items) + "</ul>"


def article(report: SampleReport | None, title: str, agency: str, *, charset: str = "utf-8", tables: bool = True,
            attachments: str = "", code: str = "") -> Resource:
    """A TRS-like article page: meta set, title, the report's tables in div.TRS_Editor (or none), attachments."""
    body_html = html_body(layout(report)) if report is not None and tables else "<p>详见附件。</p>"
    meta = {"ArticleTitle": title, "PubDate": "2024-03-25 09:30", "ContentSource": agency,
            "SiteIDCode": f"{code}0001" if code else ""}
    body = (f'<div class="article"><h1 class="title">{escape(title)}</h1>'
            f'<div class="TRS_Editor">{body_html}{attachments}</div></div>')
    return _html(_page(title + "_" + agency, body, charset, meta), charset)


def document(report: SampleReport, fmt: str) -> Resource:
    """The report as a PDF or DOCX file."""
    types = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    return Resource(render(report, fmt), types[fmt])  # type: ignore[arg-type]


def trs_portal(code: str = "140525", name: str = "泽州县") -> Portal:
    """A TRS county in GBK: createPageHTML paging, ./P0… attachments (one in document.write), an .ofd twin."""
    gov = sample(f"{name}人民政府", 2023, 1)
    hr = sample(f"{name}人力资源和社会保障局", 2023, 2)
    gbk = "gbk"
    pages = [
        [(f"{name}人民政府2023年政府信息公开工作年度报告", "./202403/t20240325_100001.html"),
         (f"{name}2023年法治政府建设年度报告", "./202403/t20240320_100002.html"),
         (f"{name}人民政府2023年政府网站工作年度报表", "./202401/t20240115_100003.html")],
        [(f"{name}人力资源和社会保障局2023年政府信息公开工作年度报告", "./202401/t20240126_100004.html"),
         ("关于报送2023年政府信息公开工作年度报告的通知", "./202312/t20231201_100005.html")],
        [(f"{name}教育局 2023 年政府信息公开工作年度报告（图片版）", "./202401/t20240129_100006.html"),
         (f"{name}2024年政务公开工作要点", "./202402/t20240220_100007.html"),
         (f"{name}住房公积金2023年年度报告", "./202403/t20240328_100008.html")],
    ]
    res: dict[str, Resource] = {
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /admin/\n", "text/plain"),
        "/": _html(_page(f"{name}人民政府", _links([("政府信息公开", "/zfxxgk/"), ("走进泽州", "/zjzz/")]), gbk), gbk),
        "/zfxxgk/": _html(_page("政府信息公开", _links([
            ("政府信息公开指南", "/zfxxgk/zfxxgkzn/"), ("政府信息公开制度", "/zfxxgk/zfxxgkzd/"),
            ("法定主动公开内容", "/zfxxgk/fdzdgknr/"), ("政府信息公开年报", "/zfxxgk/zfxxgknb/"),
            ("依申请公开", "/zfxxgk/ysqgk/")]), gbk), gbk),
        "/zfxxgk/fdzdgknr/": _html(_page("法定主动公开内容", _links([("规划信息", "/zfxxgk/fdzdgknr/ghxx/")]), gbk),
                                   gbk),
    }
    for number, items in enumerate(pages):
        script = f'<script>createPageHTML({len(pages)}, {number}, "index", "html");</script>'
        res[f"/zfxxgk/zfxxgknb/index{'_' + str(number) if number else ''}.html"] = _html(
            _page("政府信息公开年报", _links(items), gbk, scripts=script), gbk)
    res["/zfxxgk/zfxxgknb/"] = res["/zfxxgk/zfxxgknb/index.html"]
    base = "/zfxxgk/zfxxgknb/"
    pdf_twin = ('<p class="insertfileTag"><a appendix="true" href="./P020240325375739523059.pdf" '
                'OLDSRC="/protect/P0202403/P020240325/P020240325375739523059.pdf">附件：年度报告.pdf</a></p>'
                '<p class="insertfileTag"><a appendix="true" href="./P020240325375739523060.ofd">'
                "附件：年度报告.ofd</a></p>")
    res[base + "202403/t20240325_100001.html"] = article(gov, pages[0][0][0], f"{name}人民政府", charset=gbk,
                                                         attachments=pdf_twin, code=code)
    res[base + "202403/P020240325375739523059.pdf"] = document(gov, "pdf")
    res[base + "202403/P020240325375739523060.ofd"] = Resource(b"PK\x03\x04ofd", "application/ofd")
    write = ('<script>if("附件1.docx" != ""){document.write(\'<a href="./P020240126657491913704.docx">'
             "附件1-年度报告.docx</a>');}</script>")
    res[base + "202401/t20240126_100004.html"] = article(hr, pages[1][0][0], f"{name}人力资源和社会保障局",
                                                         charset=gbk, tables=False, attachments=write, code=code)
    res[base + "202401/P020240126657491913704.docx"] = document(hr, "docx")
    image_only = '<p><img src="./W020240129.png" alt=""></p>'
    res[base + "202401/t20240129_100006.html"] = article(None, pages[2][0][0], f"{name}教育局", charset=gbk,
                                                         tables=False, attachments=image_only, code=code)
    for title, href in (pages[0][1], pages[0][2], pages[1][1], pages[2][1], pages[2][2]):
        res[base + href[2:]] = article(gov, title, f"{name}人民政府", charset=gbk, code=code)  # decoys with tables
    return Portal(code, name, res, [gov, hr])


def _datastore(records: list[tuple[str, str]], total: int, column: int, extra: str = "") -> str:
    rows = "".join(f'<record><![CDATA[<li><a href="{h}" title="{escape(t)}">{escape(t)}</a><i>2024-03-20</i></li>]]>'
                   "</record>" for t, h in records)
    return (f'<div id="{column}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
            f'dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid={column}&unitid=6101&webname=会昌县人民政府">'
            f"</a>]]></nextgroup><recordset>{rows}</recordset></datastore></script>"
            f"<script>var totalRecord={total}; var perpage=2; {extra}</script></div>")


def script_shell() -> bytes:
    """A ~1 KB HTTP-200 page of nothing but obfuscated script setting a cookie and reloading (江西 counties)."""
    noise = "".join(f"var _0x{i:04x}=[{i * 7 % 251},{i * 13 % 241},'{chr(97 + i % 26) * 6}'];" for i in range(28))
    script = (f"{noise}function _c(){{var t=new Date().getTime();"
              "document.cookie='__wzd='+t.toString(16)+';path=/';window.history.go(0);}_c();")
    page = (f'<html><head><meta charset="utf-8"><script type="text/javascript">{script}</script></head>'
            "<body></body></html>")
    return page.encode()


def hanweb_portal(code: str = "360733", name: str = "会昌县") -> Portal:
    """A Hanweb JCMS county: datastore islands, dataproxy.jsp paging by POST, a department 信息公开目录 in an iframe."""
    gov23, gov22 = sample(f"{name}人民政府", 2023, 3), sample(f"{name}人民政府", 2022, 4)
    hr, water = sample(f"{name}人力资源和社会保障局", 2023, 5), sample(f"{name}水利局", 2023, 6)
    first = [(f"{name}人民政府2023年政府信息公开工作年度报告", "/art/2024/3/20/art_101_5001.html"),
             (f"{name}2023年度法治政府建设年度报告", "/art/2024/3/1/art_101_5002.html")]
    rest = [(f"{name}财政局2023年部门预算", "/art/2024/2/1/art_101_5003.html"),
            (f"{name}人民政府2022年政府信息公开工作年度报告", "/art/2023/3/28/art_101_4001.html"),
            (f"{name}审计局2023年政府信息公开工作年度报告", "/art/2024/1/30/art_101_5004.html")]
    reply = ("<datastore><totalrecord>5</totalrecord><totalpage>3</totalpage><recordset>" + "".join(
        f'<record><![CDATA[<li class="cf"><a href="{h}" title="{escape(t)}">{escape(t)}</a></li>]]></record>'
        for t, h in rest) + "</recordset></datastore>").encode()
    res: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("政务公开", "/col/col100/index.html"),
                                                  ("在线访谈", "/col/col900/index.html")]))),
        "/col/col100/index.html": _html(_page("政务公开", _links([
            ("政府信息公开年报", "/col/col101/index.html"), ("部门信息公开", "/col/col200/index.html")]))),
        "/col/col101/index.html": _html(_page("政府信息公开年报", _datastore(first, 5, 101))),
        "/module/web/jpage/dataproxy.jsp": Resource(b"", "text/xml", status=405, post={"3": reply}),
        "/col/col200/index.html": _html(_page("部门信息公开", _links([
            (f"{name}人力资源和社会保障局", "/col/col201/index.html"), (f"{name}水利局", "/col/col202/index.html"),
            (f"{name}民政局", "/col/col205/index.html")]))),
        "/col/col205/index.html": Resource(script_shell()),  # the 江西 ~1 KB JS stub
        "/col/col201/index.html": _html(_page("信息公开目录", '<iframe src="/module/xxgk/list.jsp?cid=201"></iframe>')),
        "/module/xxgk/list.jsp?cid=201": _html(_page("目录", _links([
            ("政府信息公开指南", "/col/col204/index.html"), ("政府信息公开年报", "/col/col203/index.html")]))),
        "/col/col203/index.html": _html(_page("年报", _datastore(
            [(f"{name}人力资源和社会保障局2023年政府信息公开工作年度报告", "/art/2024/1/25/art_203_6001.html")],
            1, 203))),
        "/col/col202/index.html": _html(_page("水利局", _links([
            (f"{name}水利局政府信息公开工作年度报告", "/art/2024/1/28/art_202_7001.html")]))),
    }
    down = "/module/download/downfile.jsp?classid=0&filename="
    res["/art/2024/3/20/art_101_5001.html"] = article(gov23, first[0][0], f"{name}人民政府", code=code)
    res["/art/2024/3/1/art_101_5002.html"] = article(gov23, first[1][0], f"{name}司法局", code=code)
    res["/art/2024/2/1/art_101_5003.html"] = article(None, rest[0][0], f"{name}财政局", tables=False,
                                                     attachments=f'<a href="{down}aa01.pdf">预算.pdf</a>')
    docx_name, pdf_name = "4b1f0e6c2d8a4e0f9a7b3c5d1e2f3a4b.docx", "084393c5b66043d6a2f338efdc526ca1.pdf"
    res["/art/2023/3/28/art_101_4001.html"] = article(gov22, rest[1][0], f"{name}人民政府", tables=False,
                                                      attachments=f'<a href="{down}{docx_name}">年度报告.docx</a>')
    res[down + docx_name] = document(gov22, "docx")
    challenge = (b'<html><head><meta charset="utf-8"><script>$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=8841;'
                 b'$_ts.cd="qEzxrrAlqa";</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js"></script></head></html>')
    res["/art/2024/1/30/art_101_5004.html"] = Resource(challenge, status=412)
    res["/art/2024/1/25/art_203_6001.html"] = article(hr, f"{name}人力资源和社会保障局2023年政府信息公开工作年度报告",
                                                      f"{name}人力资源和社会保障局", tables=False,
                                                      attachments=f'<a href="{down}{pdf_name}">年报.pdf</a>')
    res[down + pdf_name] = document(hr, "pdf")
    res["/art/2024/1/28/art_202_7001.html"] = article(water, f"{name}水利局政府信息公开工作年度报告",
                                                      f"{name}水利局", code=code)
    return Portal(code, name, res, [gov23, gov22, hr, water])


def plain_portal(code: str = "141025", name: str = "古县", private_redirect: str = "http://10.0.0.1/nb.html") -> Portal:
    """A plain county: ?page=N lists with 下一页, a redirect, a dead link and a redirect to a private address."""
    gov, hr, forest = (sample(f"{name}人民政府", 2023, 7), sample(f"{name}人力资源和社会保障局", 2023, 8),
                       sample(f"{name}林业局", 2022, 9))
    page1 = [(f"{name}人民政府2023年政府信息公开工作年度报告.pdf", "/files/gx2023.pdf"),
             (f"{name}人力资源和社会保障局2023年政府信息公开工作年度报告", "/xxgk/nb/show?id=12"),
             (f"{name}民政局2023年政府信息公开工作年度报告", "/xxgk/nb/gone.html")]
    page2 = [(f"{name}政府信息公开指南", "/xxgk/zn.html"), (f"{name}2023年度部门决算", "/xxgk/js.html"),
             (f"{name}林业局2022年政府信息公开工作年度报告", "/files/lyj2022.docx"),
             (f"{name}交通运输局2023年政府信息公开工作年度报告", "/xxgk/nb/moved")]
    pager1 = '<div class="page"><a href="/xxgk/nb/list?page=1">1</a> <a href="/xxgk/nb/list?page=2">2</a> ' \
             '<a href="/xxgk/nb/list?page=2">下一页</a></div>'
    res: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("信息公开", "/xxgk/"), ("办事服务", "/bsfw/")]))),
        "/xxgk/": _html(_page("信息公开", _links([("年度报告", "/xxgk/nb/list?page=1"), ("申请表下载", "/sqb/")]))),
        "/xxgk/nb/list?page=1": _html(_page("年度报告", _links(page1) + pager1)),
        "/xxgk/nb/list?page=2": _html(_page("年度报告", _links(page2))),
        "/files/gx2023.pdf": document(gov, "pdf"),
        "/xxgk/nb/show?id=12": Resource(status=302, location="/xxgk/nb/2024/hr2023.html"),
        "/xxgk/nb/2024/hr2023.html": article(hr, page1[1][0], f"{name}人力资源和社会保障局", code=code),
        "/files/lyj2022.docx": document(forest, "docx"),
        "/xxgk/nb/moved": Resource(status=302, location=private_redirect),
        "/xxgk/zn.html": article(None, page2[0][0], name, tables=False),
        "/xxgk/js.html": article(None, page2[1][0], name, tables=False),
    }
    return Portal(code, name, res, [gov, hr, forest])


def fixture_portals() -> list[Portal]:
    """The three fixture counties of the crawler tests and the demo."""
    return [trs_portal(), hanweb_portal(), plain_portal()]
