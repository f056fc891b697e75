"""A web page and its pictures in one file: a MIME multipart/related archive (MHT), as browsers save a page whole.

Many reports are article pages whose statistics tables are pictures (screenshots of a Word table). The crawler
keeps such a page with its pictures as one archive, stored as the document's bytes (one document version, read
again offline by the OCR stage); `nianbao parse` builds one from a page saved with its `…_files` folder.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import email
import hashlib
from email import policy
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import lxml.etree

# Where CMSs put a picture's address: lazy loaders keep the real one in data-src/data-original (src holds a
# placeholder); TRS editors keep the uploaded name in oldsrc beside a working src.
IMAGE_ATTRIBUTES = ("data-src", "data-original", "src", "oldsrc")
MAX_IMAGES = 40  # pictures kept with one page; a report's tables take a handful
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
               b"GIF89a": "image/gif", b"BM": "image/bmp"}


def image_type(data: bytes) -> str | None:
    """The media type of picture bytes by their signature (PNG, JPEG, GIF, BMP, WebP), None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in _SIGNATURES.items() if data.startswith(signature)), None)


def image_sources(element: lxml.etree._Element, base: str | None) -> list[str]:
    """The addresses an <img> may be loaded from, absolute (against the page's address) and in the order tried."""
    found: list[str] = []
    for name in IMAGE_ATTRIBUTES:
        value = (element.get(name) or "").strip()
        if not value or value.startswith(("javascript:", "about:")):
            continue
        url = value if value.startswith("data:") or not base else urljoin(base, value)
        if url not in found:
            found.append(url)
    return found


def _location(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def write_archive(page: bytes, page_url: str, images: list[tuple[str, bytes]]) -> bytes:
    """The page and its pictures (address, bytes) as one MHT file. The same inputs give the same bytes, so an
    unchanged page crawled again is an unchanged document."""
    digest = hashlib.sha256(page)
    for url, data in images:
        digest.update(url.encode("utf-8", "replace") + data)
    boundary = f"----=_nianbao_{digest.hexdigest()[:24]}"
    parts = [b"MIME-Version: 1.0\r\n",
             f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"\r\n\r\n'.encode()]
    for url, kind, data in [(page_url, "text/html", page)] + [(u, image_type(d) or "application/octet-stream", d)
                                                              for u, d in images]:
        parts.append(f"--{boundary}\r\nContent-Type: {kind}\r\nContent-Transfer-Encoding: base64\r\n"
                     f"Content-Location: {_location(url)}\r\n\r\n".encode())
        parts.append(base64.encodebytes(data).replace(b"\n", b"\r\n"))
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def read_archive(data: bytes) -> tuple[bytes | None, str | None, dict[str, bytes]]:
    """An MHT file's first HTML part (re-encoded as UTF-8 with a BOM when its charset is declared), its address,
    and the other parts' bytes by their address."""
    message = email.message_from_bytes(data, policy=policy.default)
    page: bytes | None = None
    page_url: str | None = None
    parts: dict[str, bytes] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        location = str(part.get("Content-Location") or "").strip()
        if page is None and part.get_content_type() == "text/html":
            charset = part.get_content_charset()
            if charset:
                # Re-encode with a BOM so the HTML reader trusts it over a stale <meta charset>.
                with contextlib.suppress(LookupError):
                    payload = codecs.BOM_UTF8 + payload.decode(charset, errors="replace").encode("utf-8")
            page, page_url = payload, location or None
        elif location:
            parts[location] = payload
            parts.setdefault(unquote(location), payload)
    return page, page_url, parts


def local_images(path: Path, sources: list[list[str]]) -> list[tuple[str, bytes]]:
    """The pictures of a page saved on disk (Save Page As… puts them in a `<name>_files` folder beside it): each
    source that names a picture file inside the page's folder, by its file: address."""
    folder = path.resolve().parent
    found: list[tuple[str, bytes]] = []
    for candidates in sources[:MAX_IMAGES]:
        for url in candidates:
            parts = urlsplit(url)
            if parts.scheme != "file":
                continue
            file = Path(unquote(parts.path))
            try:
                if not file.resolve().is_relative_to(folder) or not file.is_file():
                    continue
                data = file.read_bytes()
            except OSError:
                continue
            if image_type(data):
                found.append((url, data))
                break
    return found
