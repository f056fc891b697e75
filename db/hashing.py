"""Hashes that decide identity: the bytes of a document, and the content of a parsed report."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What makes a report version: its facts, not the parser's notes or where it was read from. A page that
# only changes its visit counter (the bytes differ) keeps the same report version.
_CONTENT_FIELDS = ("agency", "year", "template", "published_on", "title", "kind", "values", "raw", "states",
                   "units", "sections", "tables", "stated", "statistics_year")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a document's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def content_hash(parsed: dict[str, Any]) -> str:
    """The SHA-256 of a report's facts (a ParsedReport.to_json() object), stable across key order."""
    facts = {name: parsed.get(name) for name in _CONTENT_FIELDS}
    canonical = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
