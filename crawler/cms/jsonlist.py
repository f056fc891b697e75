"""JSON list APIs of 政府信息公开平台 pages: the list endpoint a page's script names, and the links in its reply.

政府信息公开平台 pages (gkmlpt and its kin) ship an empty list and fill it from a JSON API named in their
script (`$.getJSON("/gkmlpt/api/all/721?page=1&sid=662021")`, `url: '/xxgk/api/list?catId=12&page=1'`).
The reply is any shape of objects holding a title and a URL, with a total to page through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.cms import Link

# A quoted URL in a script that names a list API: a path with api/, list or .json in it.
_API = re.compile(
    r"""["']((?:https?://[^"'\s<>]+?|/[^"'\s<>]*?|\.{1,2}/[^"'\s<>]*?)"""
    r"""(?:/api/|api/|\.json|list|List|query)[^"'\s<>]*)["'](?!\s*\+)"""  # not the head of 'a?page=' + n
)
_NOT_API = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|html?|shtml)(?:\?|$)", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_TITLE_KEYS = ("title", "docTitle", "articleTitle", "ArticleTitle", "name", "deptName", "columnName",
               "unitName", "text", "label")
_URL_KEYS = ("url", "post_url", "link", "href", "docUrl", "detailUrl", "pcUrl", "path", "linkUrl", "siteUrl")
_PAGES_KEYS = ("pages", "totalPage", "totalPages", "pageCount", "totalpage")
_TOTAL_KEYS = ("total", "totalCount", "totalRecord", "count", "totalrecord")
_SIZE_KEYS = ("pageSize", "size", "perpage", "per_page", "limit")
_PAGE_PARAMS = ("page", "pageNo", "pageNum", "pageIndex", "current", "p")
MAX_PAGES = 200


def api_urls(url: str, html: str) -> list[str]:
    """Absolute URLs of the list APIs named inside the page's <script> elements."""
    found: dict[str, None] = {}
    for script in _SCRIPT.findall(html):
        for match in _API.finditer(script):
            target = match.group(1)
            if _NOT_API.search(urlsplit(target).path) or "{" in target or "+" in target:
                continue
            found.setdefault(urljoin(url, target), None)
    return list(found)


def is_json(body: bytes, content_type: str | None) -> bool:
    """True for a JSON reply (by its Content-Type, or a body that opens with { or [)."""
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip()[:1] in (b"{", b"[")


def parse(body: bytes) -> Any:
    """The decoded JSON, or None when the body is not JSON."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None


def links(url: str, data: Any) -> list[Link]:
    """Every object in the reply that has a title and a URL, as a link (relative URLs resolved against url)."""
    found: dict[str, Link] = {}
    for item in _objects(data):
        title = next((item[k] for k in _TITLE_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
        href = next((item[k] for k in _URL_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
        if title and href and not href.lower().startswith(("javascript:", "mailto:")):
            absolute = urljoin(url, href.strip())
            found.setdefault(absolute, Link(absolute, title.strip()))
    return list(found.values())


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value)


def _number(data: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return int(value)
    return None


def page_urls(url: str, data: Any) -> list[str]:
    """The further pages of a paged reply, read from its page count (or total ÷ page size) on page 1 only."""
    if not isinstance(data, dict):
        return []
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    key = next((k for k, v in query if k in _PAGE_PARAMS and v == "1"), None)
    if key is None:
        return []
    meta = next((d for d in _objects(data) if _number(d, _PAGES_KEYS + _TOTAL_KEYS) is not None), None)
    if meta is None:
        return []
    pages = _number(meta, _PAGES_KEYS)
    if pages is None:
        total, size = _number(meta, _TOTAL_KEYS) or 0, _number(meta, _SIZE_KEYS) or _first_page_size(data)
        pages = -(-total // size) if size else 1
    return [urlunsplit(parts._replace(query=urlencode([(k, str(n) if k == key else v) for k, v in query])))
            for n in range(2, min(pages, MAX_PAGES) + 1)]


def _first_page_size(data: Any) -> int:
    lists = [value for item in _objects(data) for value in item.values() if isinstance(value, list)]
    return max((len(items) for items in lists), default=0)
