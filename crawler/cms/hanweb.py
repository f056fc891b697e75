"""Hanweb 大汉 JCMS listings (most 浙江 and 江苏 portals): <datastore> XML islands and dataproxy.jsp paging by POST."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

from crawler.cms import Link, PostRequest

_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_TOTAL = re.compile(r"(?:totalRecord|totalrecord)\s*[:=>]\s*['\"]?(\d+)", re.I)
_PERPAGE = re.compile(r"\bperpage\s*[:=]\s*['\"]?(\d+)", re.I)
_PARAM = re.compile(r"\b(columnid|unitid|webid|appid|webname|path|permissiontype|sourceContentType)\s*[:=]\s*['\"]?"
                    r"([^'\"&,}\s<]+)", re.I)
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
_FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")
_MAX_RECORDS = 5000


def is_datastore(html: str) -> bool:
    """True when the page or reply carries a Hanweb <datastore>."""
    return "<datastore>" in html.lower()


def records(url: str, html: str) -> list[Link]:
    """Links inside each CDATA <record> of the page's <datastore> (first list page or a dataproxy reply)."""
    links: list[Link] = []
    for store in _DATASTORE.findall(html):
        for fragment in _RECORD.findall(store):
            selector = Selector(text=f"<div>{fragment}</div>")
            for anchor in selector.css("a[href]"):
                text = anchor.attrib.get("title") or " ".join(anchor.css("::text").getall()).strip()
                links.append(Link(urljoin(url, anchor.attrib["href"]), text))
    return links


def _params(html: str) -> dict[str, str]:
    """columnid, unitid, webid… from the nextgroup link, else from the page's ajaxParam script."""
    params: dict[str, str] = {}
    nextgroup = _NEXTGROUP.search(html)
    if nextgroup:
        href = Selector(text=nextgroup.group(1)).css("a::attr(href)").get() or ""
        params.update(parse_qsl(urlsplit(href).query))
    for key, value in _PARAM.findall(html):
        canonical = next((k for k in _FORM_KEYS if k.lower() == key.lower()), key)
        params.setdefault(canonical, value)
    return params


def dataproxy_requests(url: str, html: str) -> list[PostRequest]:
    """The POSTs fetching the rest of a Hanweb column (records after those in the page's own datastore)."""
    if not is_datastore(html):
        return []
    params = _params(html)
    if "columnid" not in params:
        return []
    total_match = _TOTAL.search(html)
    shown = len(_RECORD.findall(html))
    total = int(total_match.group(1)) if total_match else 0
    if total <= shown:
        return []
    per_match = _PERPAGE.search(html)
    perpage = int(per_match.group(1)) if per_match else max(shown, 15)
    form = {"col": "1", "appid": "1", "webid": "1", "path": "/", "sourceContentType": "1",
            "permissiontype": "0"}
    form.update({k: v for k, v in params.items() if k in _FORM_KEYS})
    requests: list[PostRequest] = []
    for start in range(shown + 1, min(total, _MAX_RECORDS) + 1, perpage * 3):
        end = min(start + perpage * 3 - 1, total)
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": perpage})
        requests.append(PostRequest(urljoin(url, f"{DATAPROXY}?{query}"), dict(form), referer=url))
    return requests
