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
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "utf8": "utf-8"}
# A stray byte or two (a truncated character, a copy-paste accident) must not lose a whole report.
_MAX_INVALID_BYTES = 16


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag in the first 4 KB declares, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore").lower() if match else None


def decode(data: bytes, source: str, declared: str | None = None, warnings: list[str] | None = None) -> str:
    """Decode a text document as nianbao reads it everywhere (parser and crawler alike).

    Strict UTF-8 first (GBK text practically never passes it, and pages declared GBK are often UTF-8), then the
    declared charset, then GB18030. A document with a few invalid bytes is decoded with replacement characters
    by the candidate that needs fewest, and `warnings` gets the count and first offset; only when no candidate
    comes close is it UnsupportedFormat."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = ["utf-8"]
    if declared:
        alias = _ALIASES.get(declared.lower(), declared.lower())
        if alias not in candidates:
            candidates.append(alias)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    damaged: list[tuple[int, int, str]] = []  # (invalid bytes, first offset, encoding)
    tolerated = max(_MAX_INVALID_BYTES, len(data) // 1000)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except LookupError:
            continue
        except UnicodeDecodeError as error:
            invalid = _invalid_bytes(data, encoding)
            damaged.append((invalid, error.start, encoding))
            # GB18030 accepts almost any byte pairs, so UTF-8 text with one stray byte would "decode" as GB18030
            # into nonsense: UTF-8 that is valid but for a few bytes among many multibyte characters is UTF-8.
            if encoding == "utf-8" and invalid <= tolerated and _non_ascii(data) >= 20 * invalid:
                return _with_replacement(data, encoding, invalid, error.start, warnings)
    if damaged:
        invalid, offset, encoding = min(damaged)
        if invalid <= tolerated:
            return _with_replacement(data, encoding, invalid, offset, warnings)
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise UnsupportedFormat(source, "不是可识别编码的文本（已试过 UTF-8、GB18030）")
    return data.decode(best.encoding, errors="replace")


def _with_replacement(data: bytes, encoding: str, invalid: int, offset: int, warnings: list[str] | None) -> str:
    if warnings is not None:
        warnings.append(f"文本有{invalid}个无效字节（首个在第{offset}字节），按{encoding.upper()}读取，"
                        "无效处以“�”代替")
    return data.decode(encoding, errors="replace")


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, bytes(range(128, 256))))


def _invalid_bytes(data: bytes, encoding: str) -> int:
    count = 0

    def note(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):  # registered for decoding only
            raise error
        nonlocal count
        count += error.end - error.start
        return "\ufffd", error.end

    codecs.register_error("nianbao-count", note)
    data.decode(encoding, errors="nianbao-count")
    return count


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    """True when the first bytes are mostly control characters: not a text document."""
    head = data[:4096]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05
