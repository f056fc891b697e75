"""The crawler's pure pieces: CMS listing readers, challenge detection, the sites file, site identity, addresses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from parsel import Selector

from crawler.blocking import challenge_kind
from crawler.cms import hanweb, plain, trs
from crawler.middlewares import is_forbidden_ip
from crawler.pages import extension, read_article
from crawler.sites import read_sites, site_key
from nianbao.errors import InputError

BASE = "http://www.zezhou.gov.cn/zfxxgk/zfxxgknb/"


def test_trs_page_count_four_arguments() -> None:
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert trs.page_urls(BASE + "index.html", html) == [
        BASE + "index_1.html", BASE + "index_2.html", BASE + "index.html"]


def test_trs_page_count_six_arguments() -> None:
    html = "<script>createPageHTML('page_div', 2, 1, 'index', 'shtml', 37);</script>"
    assert trs.page_count(html) == (2, "index", "shtml")


def test_trs_single_page_has_no_other_pages() -> None:
    assert trs.page_urls(BASE, '<script>createPageHTML(1, 0, "index", "html");</script>') == []
    assert trs.page_urls(BASE, "<p>no pager</p>") == []


def test_trs_attachments_inside_document_write() -> None:
    html = ("""<script>if("附件1.pdf<BR/>附件2.ofd" != ""){document.write('<a href="./P020260903657491913704.pdf">"""
            """附件1</a>' + '<a href="./P020260903657491913705.ofd">附件2</a>');}</script>""")
    assert trs.script_attachments(BASE + "202609/t20260903_1.html", html) == [
        BASE + "202609/P020260903657491913704.pdf", BASE + "202609/P020260903657491913705.ofd"]


DATASTORE = (
    '<script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="./dataproxy.jsp?page=2&appid=1&webid=3095'
    '&path=/&columnid=1229165988&unitid=6101313&webname=杭州余杭门户网站"></a>]]></nextgroup>\n<recordset>'
    '<record><![CDATA[<li><a href="/art/2020/8/14/art_1229179150_1872814.html" '
    'title="余杭区2019年政府信息公开工作年度报告">余杭区…</a><i>2020-08-14</i></li>]]></record>\n'
    '<record><![CDATA[<li><a href="/art/2020/8/1/art_1229179150_1.html">余杭区法治政府建设年度报告</a></li>]]>'
    "</record>\n</recordset></datastore></script><script>var totalRecord = 32; perpage:15</script>"
)


def test_hanweb_records_come_out_of_the_xml_island() -> None:
    links = hanweb.records("http://www.yuhang.gov.cn/col/col1229165988/index.html", DATASTORE)
    assert [(link.url, link.text) for link in links] == [
        ("http://www.yuhang.gov.cn/art/2020/8/14/art_1229179150_1872814.html", "余杭区2019年政府信息公开工作年度报告"),
        ("http://www.yuhang.gov.cn/art/2020/8/1/art_1229179150_1.html", "余杭区法治政府建设年度报告"),
    ]


def test_hanweb_dataproxy_posts_the_column_parameters() -> None:
    posts = hanweb.dataproxy_requests("http://www.yuhang.gov.cn/col/col1229165988/index.html", DATASTORE)
    assert posts[0].url == ("http://www.yuhang.gov.cn/module/web/jpage/dataproxy.jsp"
                            "?startrecord=3&endrecord=32&perpage=15")
    form = posts[0].formdata
    assert (form["columnid"], form["unitid"], form["webid"], form["webname"]) == (
        "1229165988", "6101313", "3095", "杭州余杭门户网站")
    assert posts[0].referer.endswith("/col/col1229165988/index.html")


def test_hanweb_no_dataproxy_when_the_page_holds_every_record() -> None:
    assert hanweb.dataproxy_requests("http://x.gov.cn/col/col1/index.html",
                                     DATASTORE.replace("totalRecord = 32", "totalRecord = 2")) == []


def test_plain_next_page_and_page_numbers() -> None:
    html = ('<a href="list?page=1">1</a><a href="list?page=2">2</a><a href="list?page=2">下一页</a>'
            '<a href="/other?page=3">3</a><a href="javascript:void(0)">尾页</a>')
    pages = plain.next_page_links("http://g.gov.cn/xxgk/list?page=1", Selector(text=html))
    assert pages == ["http://g.gov.cn/xxgk/list?page=1", "http://g.gov.cn/xxgk/list?page=2"]


def test_plain_iframes_and_js_shells() -> None:
    html = ("<script>location.replace('./jbxxjgm/')</script><iframe src='/module/xxgk/list.jsp?cid=1'></iframe>"
            '<meta http-equiv="refresh" content="0;url=/xxgk/">')
    selector = Selector(text=html)
    assert plain.iframe_sources("http://g.gov.cn/a/", selector) == ["http://g.gov.cn/module/xxgk/list.jsp?cid=1"]
    assert plain.redirect_targets("http://g.gov.cn/a/", html, selector) == [
        "http://g.gov.cn/a/jbxxjgm/", "http://g.gov.cn/xxgk/"]


def test_blocking_recognises_challenges() -> None:
    ruishu = b'<html><script>$_ts=window["$_ts"];</script><script src="/x.js"></script></html>'
    assert challenge_kind(412, ruishu) == "ruishu"
    assert challenge_kind(412, b"") == "waf"
    shell = b"<html><head><script>" + b"var a=1;" * 130 + b"document.cookie='x';</script></head><body></body></html>"
    assert challenge_kind(200, shell) == "js-shell"
    assert challenge_kind(200, "<html><body>请稍候，安全验证中</body></html>".encode("gbk")) == "waf"


def test_blocking_ordinary_pages_pass() -> None:
    assert challenge_kind(200, "<html><body><p>泽州县人民政府</p></body></html>".encode()) is None
    assert challenge_kind(200, b"<script>location.replace('./a/')</script>") is None  # a redirect shell
    assert challenge_kind(200, b"%PDF-1.7 " + b"x" * 100) is None


def test_read_article_finds_tables_meta_and_attachments() -> None:
    html = """<html><head><meta name="ArticleTitle" content="古县2023年政府信息公开工作年度报告">
    <meta name="PubDate" content="2024-01-20 10:00"></head><body><div class="TRS_Editor">
    <table><tr><td>本年新收政府信息公开申请数量</td><td>3</td></tr></table>
    <a href="./P020240120.pdf">附件.pdf</a><a href="/zn.pdf">政府信息公开指南.pdf</a>
    <a href="./P020240120.ofd">附件.ofd</a></div></body></html>"""
    article = read_article("http://g.gov.cn/nb/t1.html", html, Selector(text=html))
    assert article.title == "古县2023年政府信息公开工作年度报告"
    assert article.date == "2024-01-20"
    assert article.has_tables
    assert [a.url for a in article.attachments] == ["http://g.gov.cn/nb/P020240120.pdf"]
    assert [a.url for a in article.unsupported] == ["http://g.gov.cn/nb/P020240120.ofd"]


def test_extension_of_hanweb_downloads() -> None:
    assert extension("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=0843.pdf") == ".pdf"
    assert extension("http://a.gov.cn/files/report.DOCX") == ".docx"
    assert extension("http://a.gov.cn/col/col1/") == ""


@pytest.mark.parametrize(("url", "key"), [
    ("http://www.zezhou.gov.cn/", "zezhou.gov.cn"),
    ("http://xxgk.huichang.gov.cn/xxgknb/", "huichang.gov.cn"),
    ("https://rsj.shaoyang.gov.cn/syrsj/", "shaoyang.gov.cn"),
    ("http://127.0.0.1:8001/", "127.0.0.1:8001"),
])
def test_site_key_groups_one_county(url: str, key: str) -> None:
    assert site_key(url) == key


def test_sites_file_reads_bom_and_start_urls(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("\ufeffcode,name,url,start_urls\n140525,泽州县,http://www.zezhou.gov.cn/,"
                    "http://www.zezhou.gov.cn/zfxxgk/;http://www.zezhou.gov.cn/bmxxgk/\n", encoding="utf-8")
    [site] = read_sites(path)
    assert (site.code, site.name) == ("140525", "泽州县")
    assert site.starts == ("http://www.zezhou.gov.cn/", "http://www.zezhou.gov.cn/zfxxgk/",
                           "http://www.zezhou.gov.cn/bmxxgk/")


@pytest.mark.parametrize(("content", "message"), [
    ("code,name,url\n14052,泽州县,http://www.zezhou.gov.cn/\n", "sites.csv:2: code 列的 '14052' 不是6位行政区划代码"),
    ("code,name,url\n140525,泽州县,www.zezhou.gov.cn\n", "sites.csv:2: url 列的 'www.zezhou.gov.cn' 不是 http(s) 网址"),
    ("code,name\n140525,泽州县\n", "sites.csv:1: 缺少列 url"),
    ("code,name,url\n140525,泽州县,http://a.gov.cn/\n140525,泽州,http://b.gov.cn/\n",
     "sites.csv:3: 代码 140525 已在第 2 行出现过"),
    ("code,name,url\n140525,,http://a.gov.cn/\n", "sites.csv:2: name 列为空"),
])
def test_sites_file_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="^" + re.escape(f"{tmp_path}/{message}")):
        read_sites(path)


def test_sites_file_missing_or_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="站点列表文件不存在"):
        read_sites(tmp_path / "nope.csv")
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name,url\n140525,泽州县,http://a.gov.cn/\n".encode("gbk"))
    with pytest.raises(InputError, match="gbk.csv: 不是 UTF-8 文本"):
        read_sites(path)


@pytest.mark.parametrize(("address", "forbidden"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("10.0.0.1", True), ("192.168.1.5", True), ("172.16.0.1", True),
    ("169.254.169.254", True), ("::1", True), ("fe80::1", True), ("::ffff:10.0.0.1", True), ("0.0.0.0", True),
    ("100.64.0.1", True), ("202.96.128.86", False), ("2400:3200::1", False),
])
def test_netguard_forbidden_addresses(address: str, forbidden: bool) -> None:
    assert is_forbidden_ip(address) is forbidden


RESOLVE = """
from twisted.internet import reactor
from crawler.middlewares import GuardedResolver
resolver = GuardedResolver(reactor, 100, 5.0)
resolver.getHostByName("localhost").addBoth(lambda result: (print(result), reactor.stop()))
reactor.run()
"""


def test_netguard_resolver_refuses_private_answers_at_connect_time() -> None:
    # In a subprocess: the resolver needs a running reactor, which a test process cannot restart.
    result = subprocess.run([sys.executable, "-c", RESOLVE], capture_output=True, text=True, timeout=60)
    assert "ForbiddenAddress" in result.stdout
    assert "拒绝访问 localhost：解析为内网地址 127.0.0.1" in result.stdout
