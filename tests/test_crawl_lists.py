"""JSON list APIs named in page scripts, the sites file's hosts column, and department names in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cms import Link, jsonlist
from crawler.sites import read_sites
from db.directory import full_name
from nianbao.errors import InputError

PLATFORM = "http://www.sc.gov.cn/zfxxgkpt/nb.html"


def test_jsonlist_api_urls_named_in_scripts() -> None:
    html = ("<html><head><script src=\"/js/jquery.min.js\"></script></head><body><div id=\"list\"></div>"
            "<script>var SID = '662021';$.getJSON(\"/gkmlpt/api/all/721?page=1&sid=662021\", render);"
            "$.ajax({url: '../api/depts.json', success: show});"
            "var tpl = '/static/list.css'; var bad = '/api/list?page=' + n;</script></body></html>")
    assert jsonlist.api_urls(PLATFORM, html) == ["http://www.sc.gov.cn/gkmlpt/api/all/721?page=1&sid=662021",
                                                 "http://www.sc.gov.cn/api/depts.json"]


def test_jsonlist_api_urls_ignore_text_outside_scripts() -> None:
    assert jsonlist.api_urls(PLATFORM, '<a href="/api/list?page=1">list</a><p>"/api/x?page=1"</p>') == []


def test_jsonlist_links_from_any_shape() -> None:
    gkmlpt = {"total": 2, "articles": [
        {"id": 963149, "title": "阳江市应急管理局2023年政府信息公开工作年度报告",
         "post_url": "/yjzjj/gkmlpt/content/0/963/post_963149.html", "created_at": 1706000000},
        {"id": 963150, "title": "", "url": "/empty.html"}]}
    departments = {"code": 0, "data": {"rows": [{"deptName": "某县农业农村局", "url": "bm/nyj.html"},
                                                 {"deptName": "某县林业局", "url": "javascript:void(0)"}]}}
    assert jsonlist.links(PLATFORM, gkmlpt) == [
        Link("http://www.sc.gov.cn/yjzjj/gkmlpt/content/0/963/post_963149.html",
             "阳江市应急管理局2023年政府信息公开工作年度报告")]
    assert jsonlist.links(PLATFORM, departments) == [
        Link("http://www.sc.gov.cn/zfxxgkpt/bm/nyj.html", "某县农业农村局")]


@pytest.mark.parametrize(("url", "reply", "pages"), [
    ("http://a.gov.cn/api/all/721?page=1&sid=66", {"total": 145, "articles": [{"title": "x"}] * 15},
     [f"http://a.gov.cn/api/all/721?page={n}&sid=66" for n in range(2, 11)]),
    ("http://a.gov.cn/api/list?pageNo=1", {"data": {"totalPage": 3, "list": []}},
     ["http://a.gov.cn/api/list?pageNo=2", "http://a.gov.cn/api/list?pageNo=3"]),
    ("http://a.gov.cn/api/list?page=2", {"totalPage": 3}, []),  # only page 1 names the others
    ("http://a.gov.cn/api/list", {"totalPage": 3}, []),  # no page parameter to count with
    ("http://a.gov.cn/api/list?page=1", {"total": 3, "pageSize": 3, "rows": []}, []),
])
def test_jsonlist_further_pages(url: str, reply: dict[str, object], pages: list[str]) -> None:
    assert jsonlist.page_urls(url, reply) == pages


def test_jsonlist_recognises_json_replies() -> None:
    assert jsonlist.is_json(b'{"a": 1}', "text/html")
    assert jsonlist.is_json(b"  [1]", None)
    assert jsonlist.is_json(b"", "application/json;charset=UTF-8")
    assert not jsonlist.is_json(b"<html></html>", "text/html")
    assert jsonlist.parse(json.dumps({"标题": "年报"}, ensure_ascii=False).encode("utf-8")) == {"标题": "年报"}
    assert jsonlist.parse(b"{not json") is None


def test_sites_file_hosts_column(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("code,name,url,start_urls,hosts\n360733,会昌县,http://www.huichang.gov.cn/,,"
                    "http://xxgk.hcxxgk.cn/;http://127.0.0.1:8081/\n", encoding="utf-8")
    [site] = read_sites(path)
    assert site.hosts == ("http://xxgk.hcxxgk.cn/", "http://127.0.0.1:8081/")
    assert site.starts == ("http://www.huichang.gov.cn/",)
    path.write_text("code,name,url,hosts\n360733,会昌县,http://www.huichang.gov.cn/,xxgk.hcxxgk.cn\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"sites.csv:2: hosts 列的 'xxgk.hcxxgk.cn' 不是 http\(s\) 网址"):
        read_sites(path)


@pytest.mark.parametrize(("listed", "name"), [
    ("教育局", "安远县教育局"), ("县教育局", "安远县教育局"), ("安远县教育局", "安远县教育局"),
    ("城关镇", "安远县城关镇"),
])
def test_directory_names_carry_the_county(listed: str, name: str) -> None:
    assert full_name("安远县", listed) == name
