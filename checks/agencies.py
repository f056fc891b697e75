"""The key that identifies an agency inside its county, for history and the watch list."""

from __future__ import annotations

import re
from functools import lru_cache

from db.agency_names import normalize_agency

# A county-level place name in front: 泽州县, 城区, 某某自治县, 某某旗, 某某市 (but not 市场, 市政, 市容).
# Inside one county 泽州县人社局 and 县人社局 are the same body.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:自治县|县|区|旗|市(?![场政容]))")


@lru_cache(maxsize=65536)  # a national check meets each agency name once a year
def agency_key(name: str | None) -> str:
    """normalize_agency, then without the leading place name (the county is matched by its code)."""
    text = normalize_agency(name or "")
    place = _PLACE.match(text)
    if place and len(text) - place.end() >= 2:
        text = text[place.end():]
    return text
