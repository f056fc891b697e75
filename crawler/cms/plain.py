"""Plain HTML listings: <a> lists, next-page links, ?page=N, iframes and JS/meta redirects."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from crawler.cms import Link

_NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|后一页|next|>|›|»)\s*$", re.I)
_JS_REDIRECT = re.compile(
    r"(?:location\.replace\(|location\.href\s*=|window\.location\s*=|location\s*=)\s*\(?\s*['\"]([^'\"]+)['\"]"
)
_META_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";>\s]+)", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
_PAGE_KEYS = ("page", "pageNum", "pageNo", "pageIndex", "cur_page", "pageindex")


def anchor_links(url: str, selector: Selector) -> list[Link]:
    """Every <a href> on the page with its text (or title attribute when longer), absolute, de-duplicated."""
    links: dict[str, Link] = {}
    # lxml directly: a parsel Selector per anchor and per text node costs more than fetching the page.
    root = selector.root
    anchors = root.iter("a") if hasattr(root, "iter") else ()
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        text = " ".join(t.strip() for t in anchor.itertext() if t.strip())
        title = (anchor.get("title") or "").strip()
        if len(title) > len(text):
            text = title
        absolute = urljoin(url, href).split("#")[0]
        if absolute not in links or len(text) > len(links[absolute].text):
            links[absolute] = Link(absolute, text)
    return list(links.values())


def next_page_links(url: str, selector: Selector, links: list[Link] | None = None) -> list[str]:
    """Further pages of a plain list: 下一页 links and sibling ?page=N links (from `links` when already read)."""
    pages: dict[str, None] = {}
    for link in links if links is not None else anchor_links(url, selector):
        if _NEXT_TEXT.match(link.text):
            pages.setdefault(link.url, None)
            continue
        here, there = urlsplit(url), urlsplit(link.url)
        if here.path == there.path and there.query and link.text.strip().isdigit():
            keys = {k for k, _ in parse_qsl(there.query)}
            if keys & set(_PAGE_KEYS):
                pages.setdefault(link.url, None)
    return list(pages)


def iframe_sources(url: str, selector: Selector) -> list[str]:
    """The src of every iframe/frame (信息公开目录 lists are often loaded in one)."""
    sources = selector.css("iframe::attr(src), frame::attr(src)").getall()
    return [urljoin(url, s.strip()) for s in sources if s.strip() and not s.lower().startswith(_SKIP_SCHEMES)]


def redirect_targets(url: str, html: str, selector: Selector) -> list[str]:
    """Targets of JS shells (location.replace('./x/')) and <meta http-equiv=refresh>."""
    targets: list[str] = []
    if len(html) < 4000:
        targets += [urljoin(url, t) for t in _JS_REDIRECT.findall(html)]
    for content in selector.xpath(
        "//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content"
    ).getall():
        match = _META_REFRESH.search(content)
        if match:
            targets.append(urljoin(url, match.group(1)))
    return targets
