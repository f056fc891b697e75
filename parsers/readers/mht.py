"""MHT (web archive, MIME multipart): portals save Word reports as .doc files that are really MHT, and the crawler
keeps an article page whose tables are pictures as one (parsers.readers.web_archive)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parsers.errors import CorruptDocument
from parsers.grid import Document
from parsers.readers.html import read_html
from parsers.readers.web_archive import image_type, read_archive

if TYPE_CHECKING:
    from parsers import Limits


def read_mht(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read the first text/html part of a MIME archive with the HTML reader, its pictures at hand."""
    page, base, parts = read_archive(data)
    if page is None:
        raise CorruptDocument(source, "MHT 网页存档中没有 HTML 部分")
    pictures = {url: payload for url, payload in parts.items() if image_type(payload)}
    return read_html(page, source, limits, pictures=pictures or None, base=base)
