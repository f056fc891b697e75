"""What an HTML page says about its author outside the article body: heading, breadcrumb, description, 发布机构.

Word-pasted report pages often carry the report's title only in a heading above the body container
(`<h1>` outside `div.TRS_Editor`), and the 信息公开目录 header names the 发布机构; the body reader never
sees either, so they are kept as page metadata for parsers.identity.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree  # type: ignore[import-untyped]

Element = Any  # lxml.etree._Element (lxml has no type stubs here)

_SPACE_RUN = re.compile(r"\s+")
_CRUMB_NAMES = re.compile(r"bread|crumb|position|location|dqwz|curpos|weizhi|path|dangqian", re.IGNORECASE)
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})")
_STRING = lxml.etree.XPath("string()")
_HEADINGS = lxml.etree.XPath("//h1 | //h2 | //h3")
_CRUMBS = lxml.etree.XPath("//*[@class or @id]")


def _text(element: Element) -> str:
    return _SPACE_RUN.sub(" ", str(_STRING(element))).strip()


def identity_meta(root: Element) -> dict[str, str]:
    """heading (the first h1–h3 that names a report, else the first non-empty one), breadcrumb, publisher."""
    meta: dict[str, str] = {}
    headings = [text for text in (_text(h) for h in _HEADINGS(root)) if 4 <= len(text) <= 120]
    titled = [text for text in headings if "报告" in text or "年报" in text]
    if titled or headings:
        meta["heading"] = (titled or headings)[0]
    for element in _CRUMBS(root):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _CRUMB_NAMES.search(names):
            text = _text(element)
            if 4 <= len(text) <= 200:
                meta["breadcrumb"] = text.removeprefix("当前位置：").removeprefix("当前位置:")
                break
    body = root.find("body")
    page = _text(body if body is not None else root)
    publisher = _PUBLISHER.search(page[:20000])
    if publisher:
        meta["publisher"] = publisher[1]
    return meta
