"""Which candidate names stand for one body: short forms, a place in front, an office signing for its body.

A report's sources spell its author differently: 县人社局 and 泽州县人力资源和社会保障局 (short forms:
parsers.agency_names), 洪泽区人民政府 and 淮安市洪泽区人民政府 (a place in front), 会昌县人民政府 in the title and
会昌县人民政府办公室 as the compiler or ContentSource (the office signs for the government), X人民政府 read from a
title that names only a 新区 and X管委会办公室 on the page (an area governed by a 管委会, not a 人民政府; a 综合实验区
named alone is read as its 管委会 already: parsers.agency_candidates.clean_name).
"""

from __future__ import annotations

import re

from parsers.agency_names import normalize_agency

# A name that starts with a place (泽州县…, 高岭镇…), not a word that holds one (城乡建设, 城市管理, 市场监管).
PLACE_START = re.compile(
    r"^[\u4e00-\u9fff]{1,7}?(?:自治县|自治旗|县|区(?![块域])|旗|市(?![场政容管民监规建])|镇(?![建规])|乡(?![建规村镇])|街道)"
)
_GOVERNING = ("管委会", "管理委员会", "行政公署")
_GOVERNMENT = "人民政府"
_OFFICE = "办公室"


def same_body(first: str, second: str) -> bool:
    """Whether two names stand for one body: one key, or one is the other with a place in front."""
    if normalize_agency(first) == normalize_agency(second):
        return True
    longer, shorter = (first, second) if len(first) >= len(second) else (second, first)
    return longer != shorter and longer.endswith(shorter) and bool(PLACE_START.match(shorter))


def bodies(names: list[str]) -> dict[str, str]:
    """Each candidate name → the name of the body it stands for, given the other candidates."""
    governed = {name: _governing_body(name, names) for name in names}
    result: dict[str, str] = {}
    for name, body in governed.items():
        if body.endswith(_OFFICE) and len(body) > len(_OFFICE):
            served = body[: -len(_OFFICE)]
            if any(other != name and same_body(served, governed[other]) for other in names):
                body = served
        result[name] = body
    return result


def _governing_body(name: str, names: list[str]) -> str:
    """X人民政府 (from a title naming only the area X) is X管委会 when another candidate names X's 管委会."""
    if not name.endswith(_GOVERNMENT):
        return name
    area = name[: -len(_GOVERNMENT)]
    for other in names:
        body = other.removesuffix(_OFFICE)
        if body.startswith(area) and body[len(area):] in _GOVERNING:
            return body
    return name


def fullest(spellings: list[str], best: str) -> str:
    """The spelling with the most places in front of `best` (淮安市洪泽区人民政府 over 洪泽区人民政府)."""
    extended = [s for s in spellings if s.endswith(best) and PLACE_START.match(s) and s != best]
    return max(extended, key=len) if extended else best
