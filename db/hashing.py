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


def _facts(parsed: dict[str, Any]) -> dict[str, Any]:
    return {name: parsed.get(name) for name in _CONTENT_FIELDS}


def content_hash(parsed: dict[str, Any]) -> str:
    """The SHA-256 of a report's facts (a ParsedReport.to_json() object, its dicts in document order)."""
    return encode_report(parsed)[1]


def encode_report(parsed: dict[str, Any]) -> tuple[str, str]:
    """(JSON text of the whole report, content hash of its facts) with one serialization of the facts.

    The facts come first in the text, so the hash of a stored report can be recomputed from its JSON.
    Key order is not sorted (sorting costs a third of an ingest); same_facts() settles a differing order.
    """
    facts = json.dumps(_facts(parsed), ensure_ascii=False, separators=(",", ":"))
    rest = {name: value for name, value in parsed.items() if name not in _CONTENT_FIELDS}
    text = facts[:-1] + ("," + json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:] if rest else "}")
    return text, hashlib.sha256(facts.encode("utf-8")).hexdigest()


def same_facts(parsed: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two reports state the same facts, whatever the order of their keys."""
    return _facts(parsed) == _facts(other)
