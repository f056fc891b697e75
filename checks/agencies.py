"""The key that identifies an agency inside its county, for history and the watch list."""

from __future__ import annotations

from functools import lru_cache

from db.agency_names import normalize_agency
from parsers.places import without_place


@lru_cache(maxsize=65536)  # a national check meets each agency name once a year
def agency_key(name: str | None) -> str:
    """normalize_agency, then without the leading place name (the county is matched by its code): inside one county
    泽州县人社局 and 县人社局 are the same body."""
    return without_place(normalize_agency(name or ""))
