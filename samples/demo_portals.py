"""Build the demo's county portals from samples/demo_world.py, in the CMS styles of samples/portals.py.

Each county of the world becomes a Portal (path → Resource) that samples.portal_server serves: a home page,
a 信息公开 column, the annual-report list paged the way its CMS pages (TRS createPageHTML, Hanweb datastore +
dataproxy.jsp, plain ?page=N with 下一页), article pages with the report's tables, and DOCX/PDF attachments.
"""

from __future__ import annotations

from datetime import date
from html import escape

from samples.demo_world import WORLD, Agency, County, Publication, agency_reports, publication_date
from samples.layout import layout, title_of
from samples.model import SampleReport
from samples.portals import Portal, Resource, _html, _page, document
from samples.render import html_body

PER_PAGE = 6
CHALLENGE = (b'<html><head><meta charset="utf-8"><script>$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=8841;'
             b'$_ts.cd="qEzxrrAlqa";</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js"></script></head></html>')
Entry = tuple[str, str, date]  # title, href, date shown in the list


def _list(items: list[Entry]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}" title="{escape(t)}">{escape(t)}</a><span>{day}</span></li>'
                            for t, href, day in items) + "</ul>"


def _nav(items: list[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">{escape(t)}</a></li>' for t, href in items) + "</ul>"


def _article(report: SampleReport | None, title: str, agency: str, day: date, code: str, *,
             charset: str = "utf-8", attachment: str = "") -> Resource:
    """An article page: meta set, the report's tables inline, or a note and the attachment link."""
    body_html = html_body(layout(report)) if report is not None and not attachment else "<p>详见附件。</p>"
    meta = {"ArticleTitle": title, "PubDate": f"{day} 09:30", "ContentSource": agency, "SiteIDCode": f"{code}0001"}
    body = (f'<div class="article"><h1 class="title">{escape(title)}</h1>'
            f'<div class="info">发布时间：{day}</div><div class="TRS_Editor">{body_html}{attachment}</div></div>')
    return _html(_page(title + "_" + agency, body, charset, meta), charset)


def _items(county: County) -> list[tuple[Agency, Publication, SampleReport]]:
    """Every report of the county, newest first (as portals list them)."""
    found = []
    for agency in county.agencies:
        for item, report in zip(sorted(agency.reports, key=lambda p: p.year), agency_reports(county, agency),
                                strict=True):
            found.append((agency, item, report))
    return sorted(found, key=lambda x: (publication_date(county, x[0], x[1]), x[2].agency), reverse=True)


def _trs(county: County) -> Portal:
    gbk, base = "gbk", "/zfxxgk/zfxxgknb/"
    res: dict[str, Resource] = {
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /admin/\n", "text/plain"),
        "/": _html(_page(f"{county.name}人民政府", _nav([("政府信息公开", "/zfxxgk/"), ("走进县城", "/zj/")]), gbk),
                   gbk),
        "/zfxxgk/": _html(_page("政府信息公开", _nav([("政府信息公开指南", "/zfxxgk/zn/"),
                                                    ("政府信息公开年报", base)]), gbk), gbk),
    }
    entries: list[Entry] = []
    reports = []
    for number, (agency, item, report) in enumerate(_items(county), start=100001):
        day = publication_date(county, agency, item)
        page = f"{day:%Y%m}/t{day:%Y%m%d}_{number}.html"
        title, name = title_of(report), county.full_name(agency)
        attachment = ""
        if item.fmt != "html":
            file = f"P0{day:%Y%m%d}{number}.{item.fmt}"
            attachment = (f'<p class="insertfileTag"><a appendix="true" href="./{file}">'
                          f"附件：年度报告.{item.fmt}</a></p>")
            res[base + f"{day:%Y%m}/{file}"] = document(report, item.fmt)
        res[base + page] = _article(report, title, name, day, county.code, charset=gbk, attachment=attachment)
        entries.append((title, "./" + page, day))
        reports.append(report)
    for number, decoy in enumerate(county.decoys, start=900001):
        page = f"202403/t20240320_{number}.html"
        res[base + page] = _article(None, county.name + decoy, county.name, date(2024, 3, 20), county.code, charset=gbk)
        entries.insert(1, (county.name + decoy, "./" + page, date(2024, 3, 20)))
    pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    for number, chunk in enumerate(pages):
        script = f'<script>createPageHTML({len(pages)}, {number}, "index", "html");</script>'
        res[f"{base}index{'_' + str(number) if number else ''}.html"] = _html(
            _page("政府信息公开年报", _list(chunk), gbk, scripts=script), gbk)
    res[base] = res[base + "index.html"]
    return Portal(county.code, county.name, res, reports)


def _record(title: str, href: str) -> str:
    return f'<record><![CDATA[<li><a href="{href}" title="{escape(title)}">{escape(title)}</a></li>]]></record>'


def _hanweb(county: County) -> Portal:
    column, shown, perpage = 101, 2, 2
    down = "/module/download/downfile.jsp?classid=0&filename="
    res: dict[str, Resource] = {
        "/": _html(_page(f"{county.name}人民政府", _nav([("政务公开", "/col/col100/index.html"),
                                                       ("在线访谈", "/col/col900/index.html")]))),
        "/col/col100/index.html": _html(_page("政务公开", _nav([("政府信息公开年报",
                                                                f"/col/col{column}/index.html")]))),
    }
    records: list[tuple[str, str]] = []
    reports = []
    for number, (agency, item, report) in enumerate(_items(county), start=5001):
        day = publication_date(county, agency, item)
        page = f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{number}.html"
        title, name = title_of(report), county.full_name(agency)
        attachment = ""
        if item.fmt != "html":
            file = f"{number:08x}{item.year}.{item.fmt}"
            attachment = f'<a href="{down}{file}">年度报告.{item.fmt}</a>'
            res[down + file] = document(report, item.fmt)
        res[page] = _article(report, title, name, day, county.code, attachment=attachment)
        records.append((title, page))
        reports.append(report)
    for number, decoy in enumerate(county.decoys, start=9001):
        page = f"/art/2024/3/20/art_{column}_{number}.html"
        res[page] = _article(None, county.name + decoy, county.name, date(2024, 3, 20), county.code)
        records.insert(1, (county.name + decoy, page))
    total = len(records)
    first = "".join(_record(t, h) for t, h in records[:shown])
    nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid={column}'
                 f'&unitid=6101&webname={county.name}人民政府"></a>')
    island = (f'<div id="{column}"><script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup>'
              f"<recordset>{first}</recordset></datastore></script>"
              f"<script>var totalRecord={total}; var perpage={perpage};</script></div>")
    res[f"/col/col{column}/index.html"] = _html(_page("政府信息公开年报", island))
    # The crawler asks for perpage*3 records at a time from record shown+1 (crawler/cms/hanweb.py).
    post = {}
    for start in range(shown + 1, total + 1, perpage * 3):
        chunk = records[start - 1:start - 1 + perpage * 3]
        post[str(start)] = (f"<datastore><totalrecord>{total}</totalrecord><recordset>"
                            + "".join(_record(t, h) for t, h in chunk) + "</recordset></datastore>").encode()
    res["/module/web/jpage/dataproxy.jsp"] = Resource(b"", "text/xml", status=405, post=post)
    return Portal(county.code, county.name, res, reports)


def _plain(county: County) -> Portal:
    res: dict[str, Resource] = {
        "/": _html(_page(f"{county.name}人民政府", _nav([("信息公开", "/xxgk/"), ("办事服务", "/bsfw/")]))),
        "/xxgk/": _html(_page("信息公开", _nav([("年度报告", "/xxgk/nb/list?page=1"), ("申请表下载", "/sqb/")]))),
    }
    entries: list[Entry] = []
    reports = []
    for number, (agency, item, report) in enumerate(_items(county), start=1):
        day = publication_date(county, agency, item)
        title, name = title_of(report), county.full_name(agency)
        if item.fmt == "html":
            href = f"/xxgk/nb/{day.year}/{number}.html"
            res[href] = _article(report, title, name, day, county.code)
            entries.append((title, href, day))
        else:  # linked straight from the list, the file name in the link text
            href = f"/files/nb{item.year}_{number}.{item.fmt}"
            res[href] = document(report, item.fmt)
            entries.append((f"{title}.{item.fmt}", href, day))
        reports.append(report)
    for number, decoy in enumerate(county.decoys, start=901):
        href = f"/xxgk/nb/2024/{number}.html"
        res[href] = _article(None, county.name + decoy, county.name, date(2024, 3, 20), county.code)
        entries.insert(1, (county.name + decoy, href, date(2024, 3, 20)))
    pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    for number, chunk in enumerate(pages, start=1):
        links = " ".join(f'<a href="/xxgk/nb/list?page={n}">{n}</a>' for n in range(1, len(pages) + 1))
        more = f' <a href="/xxgk/nb/list?page={number + 1}">下一页</a>' if number < len(pages) else ""
        pager = f'<div class="page">{links}{more}</div>'
        res[f"/xxgk/nb/list?page={number}"] = _html(_page("年度报告", _list(chunk) + pager))
    return Portal(county.code, county.name, res, reports)


def _blocked(county: County) -> Portal:
    # Every page behind a Ruishu-style challenge: HTTP 412 and a $_ts script (recorded as blocked, not empty).
    return Portal(county.code, county.name, {"/": Resource(CHALLENGE, status=412)}, [])


BUILDERS = {"trs": _trs, "hanweb": _hanweb, "plain": _plain, "blocked": _blocked}


def demo_portals(world: tuple[County, ...] = WORLD) -> list[Portal]:
    """One fixture portal per county of the demo world."""
    return [BUILDERS[county.style](county) for county in world]
