"""TRS WCM listings (拓尔思): createPageHTML paging and ./P0… attachments, even in document.write."""

from __future__ import annotations

import re
from urllib.parse import urljoin

# createPageHTML(5, 0, "index", "htm") — countPage, currentPage, prefix, extension.
_FOUR = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")
# createPageHTML('page_div', totalPages, currentPage, 'index', 'shtml', totalCount).
_SIX = re.compile(
    r"createPageHTML\(\s*[\"'][\w-]*[\"']\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']"
    r"\s*,\s*\d+\s*\)"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_ATTACHMENT = re.compile(r"""href\s*=\s*\\?["'](\./P0\d+\.(?:pdf|docx?|wps|xlsx?|ofd))\\?["']""", re.I)
_MAX_PAGES = 500


def page_count(html: str) -> tuple[int, str, str] | None:
    """(pages, prefix, extension) from the pager script, or None when the page has no TRS pager."""
    found = _pager(html)
    return found[:3] if found else None


def _pager(html: str) -> tuple[int, str, str, int] | None:
    for pattern in (_SIX, _FOUR):
        match = pattern.search(html)
        if match:
            return int(match.group(1)), match.group(3), match.group(4), int(match.group(2))
    match = _COUNT_PAGE.search(html)
    if match:
        return int(match.group(1)), "index", "html", 0
    return None


def page_urls(url: str, html: str) -> list[str]:
    """The other pages of a TRS list: index.html is page 1, then index_1.html, index_2.html…

    Only the first page names them all; later pages give nothing new (so a 50-page list costs 50 requests,
    not 50 × 50 duplicates).
    """
    found = _pager(html)
    if not found or found[3] != 0:
        return []
    pages, prefix, extension, _ = found
    pages = min(pages, _MAX_PAGES)
    return [urljoin(url, f"{prefix}_{n}.{extension}") for n in range(1, pages)] + (
        [urljoin(url, f"{prefix}.{extension}")] if pages > 1 else []
    )


def script_attachments(url: str, html: str) -> list[str]:
    """Attachment URLs (./P0….pdf etc.) anywhere in the page, including inside document.write scripts."""
    seen: dict[str, None] = {}
    for match in _ATTACHMENT.finditer(html):
        seen.setdefault(urljoin(url, match.group(1)), None)
    return list(seen)
