"""County-level place names in agency names: 泽州县, 城区, 某某自治县, 某某旗, 某某市 (but not 市场, 市政, 市容)."""

from __future__ import annotations

import re

# The last character of a county-level place name (自治县, 自治旗, 林区, 特区 end the same way); 市 only when not
# the start of 市场监管局, 市政, 市容, which are agencies of a county, not a city.
PLACE_SUFFIX = r"(?:自治县|县|区|旗|市(?![场政容]))"
# A place name at the head of an agency's name: 泽州县人社局, 城区教育局.
LEADING_PLACE = re.compile(rf"^[\u4e00-\u9fff]{{0,8}}?{PLACE_SUFFIX}")


def without_place(name: str) -> str:
    """An agency name without its leading place name (泽州县人社局 → 人社局), unless under two characters would
    be left (城区 stays 城区)."""
    place = LEADING_PLACE.match(name)
    if place and len(name) - place.end() >= 2:
        return name[place.end():]
    return name
