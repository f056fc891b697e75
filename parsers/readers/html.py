"""HTML report pages: the article body of a portal page as paragraphs and expanded table grids.

Whole article pages come in (navigation, header, footer, sidebars, scripts around the report), so
the reader first picks the body container the CMS writes (#zoom, .TRS_Editor, … below), then walks it in reading
order. Word-pasted tables (`<td><p><span>`, rowspan/colspan, `&nbsp;`) become full grids.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import lxml.etree
from lxml.etree import _Element as Element

from parsers.encoding import declared_charset, decode
from parsers.errors import CorruptDocument, TooLarge
from parsers.grid import Block, Document, GridBuilder, Paragraph, Table
from parsers.readers.html_identity import identity_meta
from parsers.readers.web_archive import image_sources

if TYPE_CHECKING:
    from parsers import Limits

logger = logging.getLogger(__name__)

# Body containers by weight (weights after KIROGOVCOMPARE's HtmlParseService).
_CONTAINERS: tuple[tuple[str, str], ...] = (
    ("#ivs_content", "//*[@id='ivs_content']"),
    ("#webeditorview", "//*[@id='webeditorview']"),
    (".TRS_Editor", "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]"),
    (".trs_editor_view", "//*[contains(concat(' ', normalize-space(@class), ' '), ' trs_editor_view ')]"),
    (".TRS_UEDITOR", "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]"),
    (".Custom_UnionStyle", "//*[contains(concat(' ', normalize-space(@class), ' '), ' Custom_UnionStyle ')]"),
    ("#zoom", "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']"),
    (".xxgk_content", "//*[contains(concat(' ', normalize-space(@class), ' '), ' xxgk_content ')]"),
    ("#fontzoom", "//*[@id='fontzoom']"),
    ("article", "//article"),
)
_MIN_BODY_CHARS = 30
_META_NAMES = {
    name.lower(): name
    for name in ("ArticleTitle", "PubDate", "ContentSource", "SiteIDCode", "SiteName", "SiteDomain",
                 "ColumnName", "ColumnType", "Description", "Author")
}
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "select",
                   "button", "input", "textarea", "svg", "map", "head", "title", "meta", "link"})
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
# Ids/classes of page chrome, for pages without a known body container.
_CHROME_NAMES = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|head|top|footer|foot|bottom|breadcrumb|crumbs?|position|location"
    r"|sidebar|side|share|toolbar|search|copyright|links?)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "section", "article", "header", "footer", "nav", "aside", "main", "center", "form", "fieldset", "address",
    "figure", "figcaption", "hr", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "body", "html",
})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# A real report page has a few thousand elements; this bounds time and memory on hostile input.
MAX_ELEMENTS = 400_000
# Deeper than this, an element's text is taken whole instead of walked (keeps recursion bounded).
MAX_DEPTH = 120


def _tree(data: bytes, source: str) -> tuple[Element, str, list[str]]:
    """The page's element tree, its text and what decoding it said."""
    decoding: list[str] = []
    text = _XML_DECLARATION.sub("", decode(data, source, declared_charset(data), decoding), count=1)
    if not text.strip():
        raise CorruptDocument(source, "empty HTML page")
    # Cheap upper bound on start tags first, so a hostile page is refused before lxml builds its tree.
    tags = text.count("<") - text.count("</")
    if tags > 2 * MAX_ELEMENTS:
        raise TooLarge(source, f"HTML page has about {tags} tags, over the limit of {MAX_ELEMENTS} elements")
    # Plain lxml.etree elements, not lxml.html's: those look up a Python class for every element touched,
    # a fifth of the reader's time on a report page.
    parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as error:
        raise CorruptDocument(source, f"not readable as HTML ({error})") from error
    if root is None:
        raise CorruptDocument(source, "not readable as HTML (no elements)")
    count = int(root.xpath("count(//*)"))  # counted in C: no Python proxy per element
    if count > MAX_ELEMENTS:
        raise TooLarge(source, f"HTML page has {count} elements, over the limit of {MAX_ELEMENTS}")
    return root, text, decoding


def body_images(data: bytes, source: str, base: str | None) -> list[list[str]]:
    """The pictures of the article body in reading order, each as the addresses it may be loaded from (what the
    crawler keeps with a page whose tables are pictures)."""
    root, text, _ = _tree(data, source)
    flow = _Flow(base)
    flow.walk(_body_container(root, text)[0], 0)
    return [sources for _, sources in flow.images]


def read_html(data: bytes, source: str, limits: Limits | None = None, pictures: dict[str, bytes] | None = None,
              base: str | None = None) -> Document:
    """Read an HTML page: meta tags, then the article body as paragraphs and table grids.

    `pictures`: the page's pictures by address (from a web archive, parsers.readers.web_archive); when the body
    has pictures and no table, the tables are read from them by OCR (parsers.readers.picture_tables)."""
    root, text, decoding = _tree(data, source)
    document = Document([], meta=_meta(root, text))
    document.warnings += decoding
    body, name = _body_container(root, text)
    if name is None:
        document.warnings.append("网页中没有找到正文区域：去掉导航和页脚后读取了整个网页")
    logger.debug("%s: body container %s", source, name or "body")
    flow = _Flow(base)
    flow.walk(body, 0)
    flow.flush()
    document.blocks = flow.blocks
    if flow.images and not any(isinstance(block, Table) for block in flow.blocks):
        if pictures is not None:
            from parsers.readers.picture_tables import read_picture_tables

            return read_picture_tables(document, flow.images, pictures, source, limits)
        document.warnings.append(f"正文有 {len(flow.images)} 张图片、没有表格：图片版年报，需要 OCR 识别"
                                 "（图片须与网页一同保存）")
    return document


def _meta(root: Element, page: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None:
        text = _SPACE_RUN.sub(" ", _text_content(title)).strip()
        if text:
            meta["title"] = text
    for element in root.iter("meta"):
        name = _META_NAMES.get((element.get("name") or "").strip().lower())
        content = (element.get("content") or "").strip()
        if name and content and name not in meta:
            meta[name] = content
    for name, value in identity_meta(root, page).items():
        meta.setdefault(name, value)
    return meta


def _body_container(root: Element, page: str) -> tuple[Element, str | None]:
    """The CMS's article container with the most text, by weight; else the body without chrome."""
    lowered = page.lower()
    for name, xpath in _CONTAINERS:
        if name.strip("#.").lower() not in lowered:
            continue  # the page never names this container: no need to search the tree for it
        best, best_length = None, -1
        for element in root.xpath(xpath):
            length = len(_SPACE_RUN.sub("", _text_content(element)))
            if length > best_length:
                best, best_length = element, length
        if best is not None and (best_length >= _MIN_BODY_CHARS or best.find(".//table") is not None):
            return best, name
        if best is not None and best.find(".//img") is not None:
            return best, name  # an image-only report (图片版): its body is pictures, not text
    body = root.find("body")
    if body is None:
        body = root
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element is body:
            continue
        names = f"{element.get('id') or ''} {element.get('class') or ''}"
        chrome = element.tag in _CHROME_TAGS or (element.tag != "table" and _CHROME_NAMES.search(names))
        if chrome and element.getparent() is not None:
            _drop_keeping_tail(element)  # the tail is the parent's text, not chrome
    return body, None


def _text_content(element: Element) -> str:
    return _STRING(element)


_STRING = lxml.etree.XPath("string()")


def _drop_keeping_tail(element: Element) -> None:
    """Remove an element and what is inside it, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _int_attribute(element: Element, name: str) -> int:
    raw = element.get(name)
    if raw is None:
        return 1
    if raw.isdigit() and raw.isascii():
        return int(raw) or 1
    value = re.match(r"\s*(\d+)", raw)
    return int(value.group(1)) if value and int(value.group(1)) > 0 else 1


def _rows_of(table: Element) -> list[Element]:
    """The table's own rows (not those of tables nested in its cells)."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells_of(row: Element) -> list[Element]:
    return list(row.iterchildren("td", "th"))


def _is_hidden(element: Element) -> bool:
    return bool(_HIDDEN.search(element.get("style") or "")) or element.get("hidden") is not None


class _Flow:
    """Collects text into lines and lines into blocks while walking elements in document order, and where the
    pictures stand: (index in blocks, the addresses it may be loaded from)."""

    def __init__(self, base: str | None = None) -> None:
        self.blocks: list[Block] = []
        self._line: list[str] = []
        self.base = base
        self.images: list[tuple[int, list[str]]] = []

    def add_text(self, text: str | None) -> None:
        if text:
            self._line.append(text)

    def flush(self) -> None:
        text = _SPACE_RUN.sub(" ", "".join(self._line)).strip()
        self._line = []
        if text:
            self.blocks.append(Paragraph(text))

    def walk(self, element: Element, depth: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP or _is_hidden(element):
            return
        if depth > MAX_DEPTH:
            self.add_text(_text_content(element))
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            sources = image_sources(element, self.base)
            if sources:  # after the line being gathered, if any: that paragraph comes before the picture
                self.images.append((len(self.blocks) + bool("".join(self._line).strip()), sources))
            return
        if tag == "table":
            self.flush()
            self._table(element, depth)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.add_text(element.text)
        for child in element:
            self.walk(child, depth + 1)
            self.add_text(child.tail)
        if block:
            self.flush()

    def _table(self, table: Element, depth: int) -> None:
        for caption in table.xpath("./caption"):
            self.walk(caption, depth + 1)
        # Every <tr> counts, even an empty one: Word writes <tr></tr> for a row that rowspans cover.
        rows = [_cells_of(row) for row in _rows_of(table)]
        filled = [cells for cells in rows if cells]
        if not filled:
            return
        nested = table.xpath("./tr/td//table | ./tr/th//table | ./*/tr/td//table | ./*/tr/th//table")
        if nested or all(len(cells) == 1 for cells in filled):
            # A layout table (its cells hold the report tables) or a box around text: read through it.
            for cells in filled:
                for cell in cells:
                    self.walk(cell, depth + 1)
                    self.flush()
            return
        builder = GridBuilder()
        structured = set(_STRUCTURED_CELLS(table))
        for cells in rows:
            builder.new_row()
            for cell in cells:
                text = _cell_text(cell, depth) if cell in structured else _plain_text(cell)
                rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
                if rowspan is None and colspan is None:
                    builder.add(text)
                else:
                    builder.add(text, _int_attribute(cell, "rowspan"), _int_attribute(cell, "colspan"))
        # Rows where nothing was placed (an empty <tr> no span reaches) are not rows of the table.
        self.blocks.append(builder.table(drop_empty_rows=True))


# Cells with anything that makes lines or hides text need the full walk; found once per table.
_STRUCTURED_CELLS = lxml.etree.XPath(
    "(./tr | ./*/tr)/*[self::td or self::th][.//br | .//div | .//table | .//li | .//script | .//style"
    " | .//*[@hidden] | .//*[contains(@style, 'none') or contains(@style, 'hidden')]"
    " | .//p[preceding-sibling::* or following-sibling::*]]"
)


def _plain_text(cell: Element) -> str:
    """The common Word cell, <td><p><span>12</span></p></td> or plain text, in one call."""
    # The text serializer joins the cell's text in C: 4× faster than joining itertext() in Python.
    return _SPACE_RUN.sub(" ", lxml.etree.tostring(cell, method="text", encoding="unicode", with_tail=False)).strip()


def _cell_text(cell: Element, depth: int) -> str:
    """A cell's text with its line breaks (<br>, <p>) kept as newlines."""
    flow = _Flow()
    flow.walk(cell, depth + 1)
    flow.flush()
    lines: list[str] = []
    for block in flow.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(" ".join(c.text for c in row if c.origin) for row in block.rows)
    return "\n".join(lines)
