"""The store's agency key: parsers.agency_names.normalize_agency (the parser names authors with the same key)."""

from __future__ import annotations

from parsers.agency_names import normalize_agency

__all__ = ["normalize_agency"]
