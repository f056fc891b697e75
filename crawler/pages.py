"""What an article page holds: its <meta> (ArticleTitle…), whether it has the tables, its attachments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from crawler.cms import Link, trs
from crawler.cms.plain import anchor_links
from crawler.titles import parse_report_title
from parsers.encoding import declared_charset, decode
from parsers.errors import ParseError

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx")
UNSUPPORTED_EXTENSIONS = (".ofd",)
_TABLE_WORDS = re.compile(
    r"本年新收|行政复议|主动公开政府信息情况|本年制发件数|本年新制作数量|收到和处理政府信息公开申请"
)
_BODY = ("div.TRS_Editor", "div.trs_editor_view", "div.TRS_UEDITOR", "div.Custom_UnionStyle", "#zoom", "#Zoom",
         ".xxgk_content", "#fontzoom", "#ivs_content", "#webeditorview", "article", "body")
_NOT_REPORT_FILE = re.compile(r"指南|法治政府|预算|决算|公积金|工作要点|年度报表|申请表")
_META_NAMES = ("ArticleTitle", "PubDate", "ContentSource", "SiteIDCode", "SiteName", "ColumnName")


def page_text(url: str, body: bytes, fallback: Callable[[], str]) -> tuple[str, Selector]:
    """The page's text decoded as the parser decodes it (a GBK page declared UTF-8, or the reverse, or one
    stray byte, reads the same here as in `nianbao parse`), and its selector."""
    try:
        text = decode(body, url, declared_charset(body))
    except ParseError:  # not text in any known encoding: take what Scrapy made of it
        text = fallback()
    return text, Selector(text=text)


@dataclass
class Article:
    """An article page read for the crawler: title, date, whether it is itself the report, its files."""

    title: str
    date: str | None
    meta: dict[str, str]
    has_tables: bool
    has_images: bool
    attachments: list[Link] = field(default_factory=list)
    unsupported: list[Link] = field(default_factory=list)


def extension(url: str) -> str:
    """The file extension of a URL path or of a downfile.jsp filename= parameter, lower case with the dot."""
    parts = urlsplit(url)
    path = parts.path.lower()
    if path.endswith("downfile.jsp") or "download" in path:
        names = parse_qs(parts.query).get("filename", []) + parse_qs(parts.query).get("showname", [])
        for name in names:
            if "." in name:
                return "." + name.rsplit(".", 1)[1].lower()
    if "." in path.rsplit("/", 1)[-1]:
        return "." + path.rsplit(".", 1)[1]
    return ""


def is_document_url(url: str) -> bool:
    """True for a file the parser reads (pdf, doc, docx, wps, xls, xlsx)."""
    return extension(url) in DOCUMENT_EXTENSIONS


def page_meta(selector: Selector) -> dict[str, str]:
    """The national meta set (ArticleTitle, PubDate, ContentSource, SiteIDCode…) plus <title>."""
    meta: dict[str, str] = {}
    root = selector.root
    if not hasattr(root, "iter"):
        return meta
    for element in root.iter("meta", "title"):  # one pass, not one XPath scan per name
        if element.tag == "title":
            text = (element.text or "").strip()
            if text and "title" not in meta:
                meta["title"] = text
            continue
        name, content = element.get("name"), (element.get("content") or "").strip()
        if name in _META_NAMES and content and name not in meta:
            meta[name] = content
    return meta


def read_article(url: str, html: str, selector: Selector, link_text: str = "") -> Article:
    """Read an article page: title (meta, then heading, then the link), date, tables, images and attachments."""
    meta = page_meta(selector)
    headings = [" ".join(h.css("::text").getall()).strip() for h in selector.css("h1, h2, .title")]
    candidates = [meta.get("ArticleTitle", ""), *headings, link_text, meta.get("title", "")]
    title = next((c for c in candidates if parse_report_title(c)), None) or next((c for c in candidates if c), "")
    body = next((b for css in _BODY if (b := selector.css(css))), selector)
    body_text = body.xpath("string()").get() or ""
    has_tables = bool(body.css("table")) and bool(_TABLE_WORDS.search(body_text))
    has_images = bool(body.css("img"))
    attachments: dict[str, Link] = {}
    unsupported: dict[str, Link] = {}
    for link in anchor_links(url, selector):
        if _NOT_REPORT_FILE.search(link.text):  # sidebar files such as 政府信息公开指南.pdf
            continue
        ext = extension(link.url)
        if ext in DOCUMENT_EXTENSIONS:
            attachments.setdefault(link.url, link)
        elif ext in UNSUPPORTED_EXTENSIONS:
            unsupported.setdefault(link.url, link)
    for found in trs.script_attachments(url, html):  # document.write lists invisible to the DOM
        target = unsupported if extension(found) in UNSUPPORTED_EXTENSIONS else attachments
        target.setdefault(found, Link(found, ""))
    date = meta.get("PubDate")
    return Article(title=title, date=date[:10] if date else None, meta=meta, has_tables=has_tables,
                   has_images=has_images, attachments=list(attachments.values()),
                   unsupported=list(unsupported.values()))
