"""What the caller knows about a document beyond its bytes: where it was found and under which name.

The parser stays pure (bytes in, report out); the crawler and `nianbao ingest` pass these facts in so that
the parser can weigh them with what the document itself says about its author and year (parsers.identity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Hints:
    """Facts from outside the document; every field is optional."""

    county: str | None = None  # the name of the county whose site listed it (泽州县)
    page_title: str | None = None  # the article page's title, for an attachment or the page itself
    link_text: str | None = None  # the text of the link the crawler followed to it
    file_name: str | None = None  # the attachment's or file's name, when it says something (not P0202401….pdf)


def file_name_of(url_or_path: str) -> str | None:
    """The human-given file name in a URL or path (downfile.jsp?filename=… too), or None when it has no Chinese."""
    parts = urlsplit(url_or_path)
    names = [*parse_qs(parts.query).get("showname", []), *parse_qs(parts.query).get("filename", []),
             PurePosixPath(unquote(parts.path)).name]
    for name in names:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        if _CJK.search(stem):
            return stem
    return None


def document_hints(url: str, *, county: str | None = None, page_title: str | None = None,
                   link_text: str | None = None) -> Hints:
    """Hints for a document fetched from `url` (its file name is read off the URL)."""
    if page_title == link_text:
        page_title = None  # one piece of evidence, counted once
    return Hints(county=county or None, page_title=page_title or None, link_text=link_text or None,
                 file_name=file_name_of(url))
