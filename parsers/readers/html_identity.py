"""What an HTML page says about its author outside the article body: heading, breadcrumb, description, 发布机构.

Word-pasted report pages often carry the report's title only in a heading above the body container
(`<h1>` outside `div.TRS_Editor`), and the 信息公开目录 header names the 发布机构; the body reader never
sees either, so they are kept as page metadata for parsers.identity.
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.etree

Element = Any  # lxml.etree._Element (lxml has no type stubs here)

_SPACE_RUN = re.compile(r"\s+")
# The 信息公开目录 header's 发布机构 first, then the info bar's 来源.
_PUBLISHER = tuple(re.compile(
    rf"(?:{labels})\s*[:：]?\s*(?:&nbsp;|\s|<[^>]{{0,200}}>){{0,8}}([\u4e00-\u9fff（）()]{{2,40}})"
) for labels in ("发布机构|发文机关|发布单位", "信息来源|来源"))
_PUBLISHER_SPAN = 200_000
_STRING = lxml.etree.XPath("string()")
_HEADINGS = lxml.etree.XPath("//h1 | //h2 | //h3")
# The 当前位置 bar, by its label or its class, up to the end of its element (searched in the page's source: an
# XPath over every element's class costs ~10 ms on a Word-pasted page).
_CRUMB = re.compile(
    r"(?:(?:当前位置|您的位置|您当前的位置|所在位置)\s*[:：]"
    r"|class=[\"']?[^\"'>]*(?:crumb|Crumb|bread|position|Position|location|Location|dqwz|curpos)[^>]*>)"
    r"((?:[^<]|<(?!/(?:div|p|td|ul|nav|header)>)){0,800}?)</(?:div|p|td|ul|nav|header)>"
)
_TAG = re.compile(r"<[^>]*>")
_TITLE_BLOCK = re.compile(
    r"class=[\"']?[^\"'>]*(?:title|Title|biaoti|bt_|_bt)[^>]*>((?:[^<]|<(?!/(?:div|p|td|h\d|span)>)){4,300}?)"
    r"</(?:div|p|td|h\d|span)>"
)
_TITLE_WORDS = ("title", "Title", "biaoti", "bt_", "_bt")
_CRUMB_WORDS = ("位置", "crumb", "Crumb", "bread", "position", "Position", "location", "Location", "dqwz", "curpos")
_PUBLISHER_WORDS = (("发布机构", "发文机关", "发布单位"), ("来源",))


def _search_near(pattern: re.Pattern[str], page: str, words: tuple[str, ...]) -> re.Match[str] | None:
    """pattern.search from shortly before the first of its literal words (str.find is far faster than re)."""
    starts = [index for index in (page.find(word, 0, _PUBLISHER_SPAN) for word in words) if index >= 0]
    if not starts:
        return None
    return pattern.search(page, max(0, min(starts) - 300), _PUBLISHER_SPAN)


def _text(element: Element) -> str:
    return _SPACE_RUN.sub(" ", str(_STRING(element))).strip()


def identity_meta(root: Element, page: str) -> dict[str, str]:
    """heading (the first h1–h3 that names a report, else the first non-empty one), breadcrumb, publisher."""
    meta: dict[str, str] = {}
    headings = [text for text in (_text(h) for h in _HEADINGS(root)) if 4 <= len(text) <= 120]
    titled = [text for text in headings if "报告" in text or "年报" in text]
    if not titled:  # <div class="article-title">, <td class="biaoti">: a title block that is no h1–h3
        block = _search_near(_TITLE_BLOCK, page, _TITLE_WORDS)
        text = html.unescape(_SPACE_RUN.sub(" ", _TAG.sub("", block[1]))).strip() if block else ""
        titled = [text] if 4 <= len(text) <= 120 and ("报告" in text or "年报" in text) else []
    if titled or headings:
        meta["heading"] = (titled or headings)[0]
    crumb = _search_near(_CRUMB, page, _CRUMB_WORDS)
    if crumb:
        text = html.unescape(_SPACE_RUN.sub(" ", _TAG.sub("", crumb[1]))).strip()
        text = re.sub(r"^.{0,6}位置\s*[:：]\s*", "", text)
        if 4 <= len(text) <= 200:
            meta["breadcrumb"] = text
    publisher = _publisher(page)
    if publisher:
        meta["publisher"] = publisher
    return meta


def _publisher(page: str) -> str | None:
    """发布机构：XX, in one text or in the next cell of the 信息公开目录 header (searched in the page's source)."""
    for pattern, words in zip(_PUBLISHER, _PUBLISHER_WORDS, strict=True):
        found = _search_near(pattern, page, words)
        if found:
            return found[1]
    return None
