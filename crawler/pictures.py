"""Article pages whose tables are pictures (图片版): the page is kept with its pictures as one web archive.

The pictures of the article body are fetched one after another (same site only, each under the crawl's size
limit, the whole archive too); the page and the pictures fetched are then one document, stored as needs_ocr
(a crawl does not OCR) and read by the OCR stage offline from the archived bytes (parsers.readers.web_archive).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.items import FetchedDocument
from parsers.errors import ParseError
from parsers.readers.html import body_images
from parsers.readers.web_archive import MAX_IMAGES, image_type, read_archive, write_archive

ARCHIVE_TYPE = 'multipart/related; type="text/html"'


@dataclass
class PictureBundle:
    """An article page waiting for its pictures: what is left to fetch, what was fetched, what failed."""

    page: FetchedDocument
    queue: list[str]
    max_bytes: int
    pictures: list[tuple[str, bytes]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.page.data) + sum(len(data) for _, data in self.pictures)

    def add(self, url: str, data: bytes) -> str | None:
        """Keep a fetched picture; why not, when it is not one or would take the archive over the size limit."""
        if not image_type(data):
            self.failed.append(url)
            return "不是图片"
        if self.size + len(data) * 4 // 3 > self.max_bytes:  # base64 in the archive
            self.failed.append(url)
            return f"超过大小上限 {self.max_bytes / 1024 / 1024:.0f} MiB"
        self.pictures.append((url, data))
        return None

    def document(self) -> FetchedDocument:
        """The page and its pictures as one archived document."""
        page_url = self.page.final_url or self.page.url
        return dataclasses.replace(self.page, data=write_archive(self.page.data, page_url, self.pictures),
                                   content_type=ARCHIVE_TYPE)


def picture_urls(page: bytes, page_url: str, same_site: Callable[[str], bool]) -> list[str]:
    """The address to fetch for each picture of the article body, in reading order: its first same-site http(s)
    source (pictures held in the page itself as data: addresses need no fetching)."""
    try:
        pictures = body_images(page, page_url, page_url)
    except ParseError:
        return []
    urls: list[str] = []
    for sources in pictures[:MAX_IMAGES]:
        if any(source.startswith("data:") for source in sources[:1]):
            continue
        url = next((s for s in sources if s.startswith(("http://", "https://")) and same_site(s)), None)
        if url and url not in urls:
            urls.append(url)
    return urls


def archived_page(stored: bytes) -> bytes:
    """The HTML of a stored article: the page itself, or the page part of its web archive."""
    if stored[:200].lower().lstrip().startswith(b"mime-version:"):
        page, _, _ = read_archive(stored)
        if page is not None:
            return page
    return stored
