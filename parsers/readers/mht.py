"""MHT (web archive, MIME multipart): portals save Word reports as .doc files that are really MHT."""

from __future__ import annotations

import codecs
import contextlib
import email
from email import policy

from parsers.errors import CorruptDocument
from parsers.grid import Document
from parsers.readers.html import read_html


def read_mht(data: bytes, source: str, limits: object) -> Document:
    """Read the first text/html part of a MIME archive with the HTML reader."""
    message = email.message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        charset = part.get_content_charset()
        if charset:
            # Re-encode with a BOM so the HTML reader trusts it over a stale <meta charset>.
            with contextlib.suppress(LookupError):
                payload = codecs.BOM_UTF8 + payload.decode(charset, errors="replace").encode("utf-8")
        return read_html(payload, source, limits)
    raise CorruptDocument(source, "MHT 网页存档中没有 HTML 部分")
