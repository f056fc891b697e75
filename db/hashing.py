"""Hashes that decide identity: the bytes of a document, and the content of a parsed report."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What makes a report version: its facts, not the parser's notes or where it was read from. A page that
# only changes its visit counter (the bytes differ) keeps the same report version.
_CONTENT_FIELDS = ("agency", "year", "template", "published_on", "title", "kind", "values", "raw", "states",
                   "units", "sections", "tables", "stated", "statistics_year")
# Kept in cell_values (db/cells.py), not in reports.parsed.
_CELL_FIELDS = ("values", "raw", "states", "units")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a document's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _facts(parsed: dict[str, Any]) -> dict[str, Any]:
    return {name: parsed.get(name) for name in _CONTENT_FIELDS}


def content_hash(parsed: dict[str, Any]) -> str:
    """The SHA-256 of a report's facts (a ParsedReport.to_json() object, its dicts in document order)."""
    facts = json.dumps(_facts(parsed), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(facts.encode("utf-8")).hexdigest()


def encode_report(parsed: dict[str, Any]) -> tuple[str, str]:
    """(reports.parsed text: the report without its cell maps, content hash of its facts).

    Key order is not sorted (sorting costs a third of an ingest); same_facts() settles a differing order.
    """
    rest = {name: value for name, value in parsed.items() if name not in _CELL_FIELDS}
    return json.dumps(rest, ensure_ascii=False, separators=(",", ":")), content_hash(parsed)


def same_facts(parsed: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two reports state the same facts, whatever the order of their keys."""
    return _facts(parsed) == _facts(other)
