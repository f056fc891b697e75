"""Recognise annual-report titles and rank navigation links. Pure: no network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.normalize import normalize_text

# The report phrase itself, longest first (pre-2019 wording 年度政府信息公开工作报告).
_SUFFIX = (
    r"(?:政府信息公开工作年度报告|政府信息公开年度工作报告|政府信息公开年度报告|政府信息公开工作报告"
    r"|信息公开工作年度报告|信息公开年度报告|政府信息公开年报|政务公开工作年度报告|政务公开年度报告"
    r"|政务公开年报)"
)
_VARIANT = r"(?:[（(](?P<variant>图片版|超链版|文字版|全文|PDF版|pdf版|附件)[）)])?"
_YEAR = r"(?P<year>20\d{2})\s*年\s*(?P<du>度)?\s*"
_TITLE = re.compile(
    r"^(?P<agency>.*?)\s*(?:" + _YEAR + r")?\s*" + _SUFFIX + r"\s*" + _VARIANT + r"\s*$"
)
# Look-alikes filed in the same columns (工作要点, 预算, 指南…): never reports, whatever else the title says.
_LOOKALIKES = re.compile(
    r"法治政府|网站工作年度报表|网站年度报表|工作年度报表|关于报送|关于做好|关于印发|关于开展|通知|指南|住房公积金"
    r"|预算|决算|工作要点|工作计划|实施方案|统计公报|社会责任|目录"
)
_LEADING = re.compile(r"^(?:关于|【[^】]*】|\[[^\]]*\]|\d+[.、．]\s*)+")
# Site or column chrome glued onto a <title>: `…年度报告-XX县人民政府`, `高岭镇_2017年_…`.
_CHROME_SPLIT = re.compile(r"\s*(?:[-_|｜—]{1,2}|\s{2,})\s*")
_DOC_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd")


@dataclass(frozen=True)
class ReportTitle:
    """A recognised report title: the issuing agency (may be empty), the report year (None when unstated)."""

    title: str
    agency: str
    year: int | None
    variant: str | None = None


@lru_cache(maxsize=16384)  # menus and sidebars repeat on every page of a site
def _clean(text: str) -> str:
    """The text as the parser reads it (simplified, half-width, no pinyin, 資訊公開 = 信息公开), spaces collapsed."""
    text = re.sub(r"[\u3000\xa0\s]+", " ", normalize_text(text)).strip()
    for extension in _DOC_EXTENSIONS:  # link text is often the attachment's file name
        if text.lower().endswith(extension):
            text = text[: -len(extension)].strip()
    return text


@lru_cache(maxsize=8192)  # link texts repeat across a site's pages (menus, sidebars)
def parse_report_title(text: str | None) -> ReportTitle | None:
    """The report read from a title or link text, or None when it is not a disclosure annual report."""
    if not text:
        return None
    text = _clean(text)
    # `高岭镇_2017年_政府信息公开工作年度报告`: chrome separates agency, year and phrase; else
    # `…年度报告-XX县人民政府`: the report is one of the parts.
    candidates = [text, re.sub(r"[_\-|｜]", "", text), re.sub(r"\s+", "", text)]
    candidates += [part for part in _CHROME_SPLIT.split(text) if part and part != text]
    for candidate in candidates:
        found = _match(candidate)
        if found:
            return found
    return None


def _match(candidate: str) -> ReportTitle | None:
    candidate = _LEADING.sub("", candidate.strip()).strip()
    match = _TITLE.match(candidate)
    if not match or _LOOKALIKES.search(candidate):
        return None
    agency = re.sub(r"\s+", "", match["agency"] or "")
    if re.search(r"20\d{2}", agency):  # two years or a date before the phrase: not a plain title
        return None
    year = int(match["year"]) if match["year"] else None
    if year is None and not agency:  # a bare column name such as 政府信息公开年报
        return None
    if year is None and not candidate.endswith(("年度报告", "年度报告）", "年报")) and not match["variant"]:
        return None
    return ReportTitle(title=candidate, agency=agency, year=year, variant=match["variant"])


def is_report_title(text: str | None) -> bool:
    """True when the text names a 政府信息公开工作年度报告 (never a look-alike)."""
    return parse_report_title(text) is not None


# Navigation: where to go from a page towards the 年报 column.
_NAV_RULES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"政府信息公开年报|信息公开年报|政府信息公开年度报告|信息公开年度报告|年度报告|年报|工作年报"), 6),
    (re.compile(r"部门信息公开|部门公开|部门政务公开|部门信息公开目录"), 4),
    (re.compile(r"^(?:县直|市直|区直|政府)?(?:部门|机构)(?:设置|导航|网站|站群|列表|目录)?$"), 3),
    (re.compile(r"政府信息公开|信息公开目录|信息公开|政务公开|法定主动公开"), 3),
    (re.compile(r"^\s*20\d{2}\s*年?\s*(?:度)?\s*(?:年报)?\s*$"), 2),  # year folders inside a 年报 column
)
_NAV_URL_RULES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(?:^|/)(?:xxgknb|zfxxgknb|gknb|xxgkzfxxgknb|gkndbg|wzxxgknb|\d{4}nb|nb)(?:/|$|_)"), 5),
    # Column roots only (…/zwgk/ or …/zwgk/index.html), not every page below them.
    (re.compile(r"(?:^|/)(?:bmxxgk|bmgk|bmxxgkml)/?(?:index\.\w+)?$"), 3),
    (re.compile(r"(?:^|/)(?:zwgk|xxgk|zfxxgk|gongkai)/?(?:index\.\w+)?$"), 2),
)
_NAV_REJECT = re.compile(
    r"关于|通知|新闻|首页|指南|制度|依申请|申请表|政策解读|法治政府|工作要点|预算|决算|公积金|网站工作年度报表|在线访谈|互动|留言|信箱|登录|注册"
)
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|中心|院|所|站|队|镇|乡|街道)$")


_DIRECTORY = re.compile(
    r"部门信息公开|部门公开|部门政务公开|^(?:县直|市直|区直|政府)?(?:部门|机构)(?:设置|导航|网站|站群|列表|目录)?$"
)


def is_directory_link(text: str | None) -> bool:
    """True for a link to the county's list of departments (部门信息公开, 部门, 机构设置…)."""
    return bool(_DIRECTORY.search(_clean(text or "")))


def is_report_column(text: str | None, url: str) -> bool:
    """True for a link to a 年报 column (政府信息公开年报, 年度報告…, or a 年报 slug such as /xxgknb/)."""
    text = _clean(text or "")
    if _NAV_REJECT.search(text) or is_report_title(text):
        return False
    path = url.split("?")[0].split("#")[0].lower()
    return bool(_NAV_RULES[0][0].search(text) or _NAV_URL_RULES[0][0].search(path))


def department_name(text: str | None) -> str | None:
    """The department a directory entry names (XX县教育局, 县卫健委…), or None for other links."""
    text = re.sub(r"\s+", "", _clean(text or ""))
    if not 2 <= len(text) <= 30 or _NAV_REJECT.search(text) or not _DEPARTMENT.search(text):
        return None
    return text


def nav_score(text: str | None, url: str, *, in_department_directory: bool = False) -> int:
    """How promising a link is on the way to reports: 0 = do not follow; higher = closer to 年报."""
    text = _clean(text or "")
    if _NAV_REJECT.search(text) or is_report_title(text):
        return 0
    score = max((points for pattern, points in _NAV_RULES if pattern.search(text)), default=0)
    path = url.split("?")[0].split("#")[0].lower()
    score = max(score, max((points for pattern, points in _NAV_URL_RULES if pattern.search(path)), default=0))
    if score == 0 and in_department_directory and 2 <= len(text) <= 30 and _DEPARTMENT.search(text):
        score = 3  # 部门信息公开 → XX局
    return score


_YEAR_IN = re.compile(r"(20\d{2})\s*年")


def year_in(text: str | None) -> int | None:
    """The first 20xx年 year in a text (titles, page metadata), else None."""
    match = _YEAR_IN.search(text or "")
    return int(match.group(1)) if match else None
