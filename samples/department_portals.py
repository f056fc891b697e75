"""Fixture counties whose departments publish through sub-sites (issue 12), served like samples/portals.py.

- `hanweb_departments()`: a Hanweb county; its 部门信息公开 lists five departments. Two departments' 年报 menu
  entries point back to the county's shared column (one of them names it 年度報告, in traditional script), one
  department keeps its three reports only in its own column (a datastore list paged by dataproxy.jsp), one has
  a 年报 column with nothing in it, one has no 年报 column at all. The shared column holds a report page written
  in traditional script.
- `trs_departments()`: a TRS county in GBK whose 信息公开 lives on a separate `xxgk.` host (a second server,
  declared in the sites file's `hosts` column); departments under /bmxxgk/, one behind a location.replace shell,
  one keeping its reports only in its own paged column, one without any 年报 column, and one whose directory
  entry is the shared column's second page itself.
- `json_platform()`: a 政府信息公开平台 whose lists (年报 and departments) are filled from JSON list APIs named
  in the pages' scripts.

Each portal's reports, decoys and gaps are listed by hand in tests/test_crawl_departments.py.
"""

from __future__ import annotations

import json
from html import escape

import opencc

from samples.layout import layout
from samples.model import SampleReport
from samples.portals import Portal, Resource, _datastore, _html, _links, _page, article, document, sample
from samples.render import html_body

XXGK_PLACEHOLDER = "http://xxgk.placeholder.invalid"  # replaced by the xxgk server's URL once it listens


def _menu(items: list[tuple[str, str]]) -> str:
    return '<div class="menu"><ul>' + "".join(f'<li><a href="{href}">{escape(t)}</a></li>'
                                               for t, href in items) + "</ul></div>"


def _traditional_article(title: str, agency: str, seed: int, year: int) -> tuple[Resource, SampleReport]:
    """An article page wholly in traditional script (title, meta and the report's tables)."""
    report = sample(agency, year, seed)
    meta = {"ArticleTitle": title, "PubDate": "2024-01-22 10:00", "ContentSource": agency}
    body = (f'<div class="article"><h1 class="title">{escape(title)}</h1>'
            f'<div class="TRS_Editor">{html_body(layout(report))}</div></div>')
    text = opencc.OpenCC("s2t").convert(_page(title, body, "utf-8", meta))
    return _html(text), report


def hanweb_departments(code: str = "360726", name: str = "安远县") -> Portal:
    """A Hanweb county with five department sub-sites (see the module docstring)."""
    gov, edu = sample(f"{name}人民政府", 2023, 41), sample(f"{name}教育局", 2023, 42)
    fin23, fin22, fin21 = (sample(f"{name}财政局", 2023, 44), sample(f"{name}财政局", 2022, 45),
                           sample(f"{name}财政局", 2021, 46))
    health_title = "安遠縣衛生健康委員會2023年政府信息公開工作年度報告"
    shared = [(f"{name}人民政府2023年政府信息公开工作年度报告", "/art/2024/3/20/art_101_1.html"),
              (f"{name}教育局2023年政府信息公开工作年度报告", "/art/2024/1/20/art_101_2.html"),
              (health_title, "/art/2024/1/22/art_101_3.html"),
              (f"{name}2023年法治政府建设年度报告", "/art/2024/3/1/art_101_4.html"),
              (f"{name}住房公积金2023年年度报告", "/art/2024/3/5/art_101_5.html"),
              ("安遠縣人民政府2023年政府網站工作年度報表", "/art/2024/1/15/art_101_6.html")]
    finance_first = [(f"{name}财政局2023年政府信息公开工作年度报告", "/art/2024/1/26/art_331_1.html"),
                     (f"{name}财政局2023年部门预算", "/art/2024/2/1/art_331_2.html")]
    finance_rest = [(f"{name}财政局2022年政府信息公开工作年度报告", "/art/2023/1/30/art_331_3.html"),
                    (f"{name}财政局2021年度政府信息公开工作报告", "/art/2022/1/28/art_331_4.html")]
    reply = ("<datastore><totalrecord>4</totalrecord><totalpage>2</totalpage><recordset>" + "".join(
        f'<record><![CDATA[<li class="cf"><a href="{h}" title="{escape(t)}">{escape(t)}</a></li>]]></record>'
        for t, h in finance_rest) + "</recordset></datastore>").encode()
    departments = [("县教育局", "/col/col310/index.html"), ("县卫生健康委员会", "/col/col320/index.html"),
                   ("县财政局", "/col/col330/index.html"), ("县自然资源局", "/col/col340/index.html"),
                   ("县统计局", "/col/col350/index.html")]
    res: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("政务公开", "/col/col100/index.html"),
                                                  ("在线访谈", "/col/col900/index.html")]))),
        "/col/col100/index.html": _html(_page("政务公开", _links([
            ("政府信息公开指南", "/col/col102/index.html"), ("政府信息公开年报", "/col/col101/index.html"),
            ("部门信息公开", "/col/col300/index.html")]))),
        "/col/col101/index.html": _html(_page("政府信息公开年报", _datastore(shared, len(shared), 101))),
        "/col/col300/index.html": _html(_page("部门信息公开", _links(departments))),
        # 教育局: its 年报 entry is the county's shared column.
        "/col/col310/index.html": _html(_page(f"{name}教育局", _menu([
            ("机构职能", "/col/col311/index.html"), ("政策文件", "/col/col312/index.html"),
            ("政府信息公开年报", "/col/col101/index.html")]))),
        # 卫健委: the menu sits in an iframe, its 年报 entry in traditional script, pointing to the shared column.
        "/col/col320/index.html": _html(_page(f"{name}卫生健康委员会",
                                              '<iframe src="/module/xxgk/tree.jsp?unitid=320"></iframe>')),
        "/module/xxgk/tree.jsp?unitid=320": _html(_page("信息公开目录", _menu([
            ("機構職能", "/col/col321/index.html"), ("政府信息公開年度報告", "/col/col101/index.html")]))),
        # 财政局: its reports only in its own column (datastore, the rest by dataproxy.jsp).
        "/col/col330/index.html": _html(_page(f"{name}财政局", _menu([
            ("机构职能", "/col/col332/index.html"), ("政府信息公开年报", "/col/col331/index.html")]))),
        "/col/col331/index.html": _html(_page("政府信息公开年报", _datastore(finance_first, 4, 331))),
        "/module/web/jpage/dataproxy.jsp": Resource(b"", "text/xml", status=405, post={"3": reply}),
        # 自然资源局: no 年报 column at all.
        "/col/col340/index.html": _html(_page(f"{name}自然资源局", _menu([
            ("机构职能", "/col/col341/index.html"), ("通知公告", "/col/col342/index.html")]))),
        # 统计局: a 年报 column with nothing in it.
        "/col/col350/index.html": _html(_page(f"{name}统计局", _menu([
            ("机构职能", "/col/col352/index.html"), ("信息公开年报", "/col/col351/index.html")]))),
        "/col/col351/index.html": _html(_page("信息公开年报", _datastore([], 0, 351))),
    }
    down = "/module/download/downfile.jsp?classid=0&filename="
    res[shared[0][1]] = article(gov, shared[0][0], f"{name}人民政府", code=code)
    res[shared[1][1]] = article(edu, shared[1][0], f"{name}教育局", code=code)
    res[shared[2][1]], health = _traditional_article(health_title, f"{name}卫生健康委员会", 43, 2023)
    for title, href in shared[3:] + finance_first[1:]:
        res[href] = article(gov, title, name, code=code)  # decoys carrying tables: never to be stored
    res[finance_first[0][1]] = article(fin23, finance_first[0][0], f"{name}财政局", tables=False, code=code,
                                       attachments=f'<a href="{down}5d1c2b3a4e5f60718293a4b5c6d7e8f9.pdf">年报.pdf</a>')
    res[down + "5d1c2b3a4e5f60718293a4b5c6d7e8f9.pdf"] = document(fin23, "pdf")
    res[finance_rest[0][1]] = article(fin22, finance_rest[0][0], f"{name}财政局", code=code)
    res[finance_rest[1][1]] = article(fin21, finance_rest[1][0], f"{name}财政局", tables=False, code=code,
                                      attachments=f'<a href="{down}a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5.docx">'
                                                  "2021年度报告.docx</a>")
    res[down + "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5.docx"] = document(fin21, "docx")
    return Portal(code, name, res, [gov, edu, health, fin23, fin22, fin21])


def _trs_list(items: list[tuple[str, str]], pages: int, number: int) -> str:
    script = f'<script>createPageHTML({pages}, {number}, "index", "html");</script>'
    return _links(items) + script


def trs_departments(code: str = "360730", name: str = "宁都县") -> tuple[Portal, Portal]:
    """A TRS county in GBK: (the www. portal, its xxgk. host). Call `link_xxgk` once both are served."""
    gbk = "gbk"
    gov, hr, traffic = (sample(f"{name}人民政府", 2023, 51), sample(f"{name}人力资源和社会保障局", 2023, 52),
                        sample(f"{name}交通运输局", 2023, 53))
    justice23, justice22 = sample(f"{name}司法局", 2023, 54), sample(f"{name}司法局", 2022, 55)
    insurance = sample(f"{name}医疗保障局", 2023, 56)
    www: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("政府信息公开", f"{XXGK_PLACEHOLDER}/"),
                                                  ("走进宁都", "/zjnd/")]), gbk), gbk),
    }
    shared = [[(f"{name}人民政府2023年政府信息公开工作年度报告", "./202403/t20240325_200001.html"),
               (f"{name}人力资源和社会保障局2023年政府信息公开工作年度报告", "./202401/t20240124_200002.html"),
               (f"{name}2024年政务公开工作要点", "./202402/t20240220_200004.html")],
              [(f"{name}交通运输局2023年政府信息公开工作年度报告", "./202401/t20240129_200003.html"),
               ("关于报送2023年政府信息公开工作年度报告的通知", "./202312/t20231201_200005.html"),
               (f"{name}医疗保障局2023年政府信息公开工作年度报告", "./202401/t20240130_200006.html")]]
    justice = [[(f"{name}司法局2023年政府信息公开工作年度报告", "./202402/t20240202_200011.html"),
                (f"{name}司法局2023年法治政府建设年度报告", "./202403/t20240301_200013.html")],
               [(f"{name}司法局2022年政府信息公开年报", "./202301/t20230130_200012.html")]]
    departments = [(f"{name}人力资源和社会保障局", "/bmxxgk/rsj/"), (f"{name}交通运输局", "/bmxxgk/jtj/"),
                   (f"{name}司法局", "/bmxxgk/sfj/"), (f"{name}审计局", "/bmxxgk/sjj/"),
                   (f"{name}医疗保障局", "/zfxxgknb/index_1.html")]  # the entry is the shared column's page 2
    xxgk: dict[str, Resource] = {
        "/": _html(_page("宁都县政府信息公开", _links([
            ("政府信息公开指南", "/xxgkzn/"), ("政府信息公开年报", "/zfxxgknb/"),
            ("部门信息公开", "/bmxxgk/")]), gbk), gbk),
        "/bmxxgk/": _html(_page("部门信息公开", _links(departments), gbk), gbk),
        "/bmxxgk/rsj/": _html(_page(f"{name}人力资源和社会保障局", _menu([
            ("机构职能", "./jgzn/"), ("政府信息公开年报", "../../zfxxgknb/")]), gbk), gbk),
        "/bmxxgk/jtj/": _html("<html><head><script>location.replace('./xxgkml/');</script></head></html>"),
        "/bmxxgk/jtj/xxgkml/": _html(_page(f"{name}交通运输局", _menu([
            ("机构职能", "./jgzn/"), ("政府信息公开年报", "/zfxxgknb/")]), gbk), gbk),
        "/bmxxgk/sfj/": _html(_page(f"{name}司法局", _menu([
            ("机构职能", "./jgzn/"), ("政府信息公开年报", "./gknb/")]), gbk), gbk),
        "/bmxxgk/sjj/": _html(_page(f"{name}审计局", _menu([
            ("机构职能", "./jgzn/"), ("工作动态", "./gzdt/")]), gbk), gbk),
    }
    for base, pages in (("/zfxxgknb/", shared), ("/bmxxgk/sfj/gknb/", justice)):
        for number, items in enumerate(pages):
            page = _html(_page("政府信息公开年报", _trs_list(items, len(pages), number), gbk), gbk)
            xxgk[f"{base}index{'_' + str(number) if number else ''}.html"] = page
        xxgk[base] = xxgk[base + "index.html"]
    nb, sf = "/zfxxgknb/", "/bmxxgk/sfj/gknb/"
    xxgk[nb + "202403/t20240325_200001.html"] = article(gov, shared[0][0][0], f"{name}人民政府", charset=gbk,
                                                        code=code)
    pdf = ('<p class="insertfileTag"><a appendix="true" href="./P020240124375739523061.pdf">'
           "附件：年度报告.pdf</a></p>")
    xxgk[nb + "202401/t20240124_200002.html"] = article(hr, shared[0][1][0], f"{name}人力资源和社会保障局",
                                                        charset=gbk, tables=False, attachments=pdf, code=code)
    xxgk[nb + "202401/P020240124375739523061.pdf"] = document(hr, "pdf")
    xxgk[nb + "202401/t20240129_200003.html"] = article(traffic, shared[1][0][0], f"{name}交通运输局",
                                                        charset=gbk, code=code)
    xxgk[nb + "202401/t20240130_200006.html"] = article(insurance, shared[1][2][0], f"{name}医疗保障局",
                                                        charset=gbk, code=code)
    write = ('<script>if("附件1.docx" != ""){document.write(\'<a href="./P020240202657491913705.docx">'
             "附件1-年度报告.docx</a>');}</script>")
    xxgk[sf + "202402/t20240202_200011.html"] = article(justice23, justice[0][0][0], f"{name}司法局", charset=gbk,
                                                        tables=False, attachments=write, code=code)
    xxgk[sf + "202402/P020240202657491913705.docx"] = document(justice23, "docx")
    xxgk[sf + "202301/t20230130_200012.html"] = article(justice22, justice[1][0][0], f"{name}司法局", charset=gbk,
                                                        code=code)
    for base, title, href in ((nb, *shared[0][2]), (nb, *shared[1][1]), (sf, *justice[0][1])):
        xxgk[base + href[2:]] = article(gov, title, name, charset=gbk, code=code)  # decoys with tables
    return (Portal(code, name, www, [gov, hr, traffic, justice23, justice22, insurance]), Portal(code, name, xxgk))


def link_xxgk(www: Portal, xxgk_url: str) -> None:
    """Point the www. portal's links at the xxgk. host's real address (known once its server listens)."""
    for path, resource in www.resources.items():
        if XXGK_PLACEHOLDER.encode() in resource.body:
            www.resources[path] = Resource(resource.body.replace(XXGK_PLACEHOLDER.encode(),
                                                                 xxgk_url.rstrip("/").encode()),
                                           resource.content_type)


def _json(data: object) -> Resource:
    return Resource(json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")


def json_platform(code: str = "360735", name: str = "石城县") -> Portal:
    """A 政府信息公开平台: the 年报 list and the department list come from JSON APIs named in page scripts."""
    gov23, gov22 = sample(f"{name}人民政府", 2023, 61), sample(f"{name}人民政府", 2022, 62)
    reform = sample(f"{name}发展和改革委员会", 2023, 63)
    api = "/zfxxgkpt/api/list?catId=nb&page="
    res: dict[str, Resource] = {
        "/": _html(_page(f"{name}人民政府", _links([("政府信息公开", "/zfxxgkpt/index.html"), ("办事", "/bs/")]))),
        "/zfxxgkpt/index.html": _html(_page("政府信息公开平台", _links([
            ("政府信息公开年报", "/zfxxgkpt/nb.html"), ("部门信息公开", "/zfxxgkpt/bm.html")]))),
        "/zfxxgkpt/nb.html": _html(_page("政府信息公开年报", '<div id="list"></div>', scripts=(
            "<script>var SID = '3607350001';$.getJSON(\"" + api + "1&sid=3607350001\", function (d) {"
            "render(d.articles);});</script>"))),
        api + "1&sid=3607350001": _json({"total": 5, "pageSize": 3, "articles": [
            {"id": 301, "title": f"{name}人民政府2023年政府信息公开工作年度报告",
             "url": "/zfxxgkpt/content/post_301.html", "created_at": "2024-03-25"},
            {"id": 302, "title": f"{name}发展和改革委员会2023年政府信息公开工作年度报告",
             "url": "/zfxxgkpt/attachment/0/302/302.pdf", "created_at": "2024-01-25"},
            {"id": 303, "title": f"{name}人民政府2023年政府网站工作年度报表",
             "url": "/zfxxgkpt/content/post_303.html", "created_at": "2024-01-15"}]}),
        api + "2&sid=3607350001": _json({"total": 5, "pageSize": 3, "articles": [
            {"id": 201, "title": f"{name}人民政府2022年政府信息公开工作年度报告",
             "url": "/zfxxgkpt/attachment/0/201/201.docx", "created_at": "2023-03-20"},
            {"id": 304, "title": f"{name}2023年度部门决算", "url": "/zfxxgkpt/content/post_304.html",
             "created_at": "2024-02-01"}]}),
        "/zfxxgkpt/bm.html": _html(_page("部门信息公开", '<ul id="depts"></ul>', scripts=(
            "<script>$.ajax({url: '/zfxxgkpt/api/depts?page=1', success: function (d) {show(d.data);}});"
            "</script>"))),
        "/zfxxgkpt/api/depts?page=1": _json({"code": 0, "data": [
            {"deptName": f"{name}发展和改革委员会", "url": "/zfxxgkpt/bm/fgw.html"},
            {"deptName": f"{name}农业农村局", "url": "/zfxxgkpt/bm/nyj.html"}]}),
        "/zfxxgkpt/bm/fgw.html": _html(_page(f"{name}发展和改革委员会", _menu([
            ("机构职能", "/zfxxgkpt/bm/fgw_jgzn.html"), ("政府信息公开年报", "/zfxxgkpt/nb.html")]))),
        "/zfxxgkpt/bm/nyj.html": _html(_page(f"{name}农业农村局", _menu([
            ("机构职能", "/zfxxgkpt/bm/nyj_jgzn.html"), ("政策文件", "/zfxxgkpt/bm/nyj_zcwj.html")]))),
        "/zfxxgkpt/content/post_301.html": article(gov23, f"{name}人民政府2023年政府信息公开工作年度报告",
                                                   f"{name}人民政府", code=code),
        "/zfxxgkpt/attachment/0/302/302.pdf": document(reform, "pdf"),
        "/zfxxgkpt/attachment/0/201/201.docx": document(gov22, "docx"),
        "/zfxxgkpt/content/post_303.html": article(gov23, f"{name}人民政府2023年政府网站工作年度报表", name),
        "/zfxxgkpt/content/post_304.html": article(gov23, f"{name}2023年度部门决算", name),
    }
    return Portal(code, name, res, [gov23, gov22, reform])
