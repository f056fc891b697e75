"""Bytes → text for HTML and plain-text reports: BOMs, UTF-8, GBK/GB18030, declared or detected."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from parsers.errors import UnsupportedFormat

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
# GB2312 and GBK pages often carry characters only GB18030 has; it is a superset of both.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag in the first 4 KB declares, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore").lower() if match else None


def decode(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode a text document; raise UnsupportedFormat when it is not text in any known encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = ["utf-8"]
    if declared:
        candidates.insert(0, _ALIASES.get(declared.lower(), declared.lower()))
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise UnsupportedFormat(source, "not text in any known encoding (tried UTF-8, GB18030)")
    return data.decode(best.encoding, errors="replace")


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    """True when the first bytes are mostly control characters: not a text document."""
    head = data[:4096]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
