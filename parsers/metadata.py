"""Report metadata from its text: kind, closing date, statistics period, stated numbers (agency, year and title:
parsers.identity)."""

from __future__ import annotations

import re
from datetime import date

from parsers.places import PLACE_SUFFIX
from parsers.report import AgencyKind

# Provincial and prefectural governments too; a 综合实验区 or 新区 governed by a 管委会 reports as its government
# (平潭综合实验区管委会).
_GOVERNMENT = re.compile(rf"(?:{PLACE_SUFFIX}|州|盟|省)人民政府$|(?:实验区|新区)(?:管委会|管理委员会)$")
_TOWNSHIP = re.compile(r"(?:乡|镇|苏木)人民政府$|街道办事处$|街道$")

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
# A page's or an archive's stamp (发布时间：2019-01-10 16:13), not the date the office signed the report with.
_PAGE_STAMP = re.compile(r"^(?:发布|更新|录入|抓取)(?:时间|日期)\s*[:：]|\d{1,2}:\d{2}")
_DATE_ARABIC = re.compile(r"(20\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_CN = "一二三四五六七八九十"
_DATE_CHINESE = re.compile(rf"(二[〇零○O][{_CN}〇零○O]{{2}})年([{_CN}]{{1,3}})月([{_CN}]{{1,3}})日")
_STATISTICS_PERIOD = re.compile(
    r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|~)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
_RECEIVED = (
    re.compile(r"(?:共|累计|全年|本年度?|新)?收到(?:各类|各类政府信息公开|政府信息公开|依申请公开|公开)?"
               r"(?:政府信息公开)?(?:申请|申请件)(?:共|合计)?\s*(\d+)\s*(?:件|份|条|个|次|宗)"),
    re.compile(r"受理(?:政府信息公开|依申请公开)?申请\s*(\d+)\s*(?:件|份|条|个)"),
)
_RECEIVED_NONE = re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:任何)?(?:政府信息公开|依申请公开)?(?:申请|信件)?")


def agency_kind(agency: str | None) -> AgencyKind:
    """government for a county-level 人民政府 (deadline March 31), other for townships, else department."""
    if not agency:
        return "department"
    if _TOWNSHIP.search(agency):
        return "other"
    if _GOVERNMENT.search(agency):
        return "government"
    return "department"


def _chinese_number(text: str) -> int:
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _to_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_closing_date(lines: list[str]) -> str | None:
    """The date line that closes the report (2024年1月24日, 2024-01-24, 二〇二四年一月二十四日), ISO."""
    tail = [line.strip() for line in lines if line.strip()][-15:]
    for line in reversed(tail):
        if len(line) > 40 or _PAGE_STAMP.search(line):
            continue
        found: date | None = None
        match = _DATE_ARABIC.search(line)
        if match:
            found = _to_date(int(match[1]), int(match[2]), int(match[3]))
        else:
            chinese = _DATE_CHINESE.search(line)
            if chinese:
                found = _chinese_date(chinese)
        if found:
            return found.isoformat()
    return _signed_in_running_text(lines)


def _chinese_date(match: re.Match[str]) -> date | None:
    """二〇二四年一月二十四日 (a _DATE_CHINESE match) as a date, None when it is no real day."""
    return _to_date(_chinese_number(match[1]), _chinese_number(match[2]), _chinese_number(match[3]))


def _signed_in_running_text(lines: list[str]) -> str | None:
    """A dump that ran the page into one line keeps no date line; a full date in Chinese numerals is the
    signature's (a narrative writes its dates in figures), so the last one is the closing date."""
    if not any(len(line) > 400 for line in lines):
        return None
    for chinese in reversed(list(_DATE_CHINESE.finditer("\n".join(lines)))):
        found = _chinese_date(chinese)
        if found:
            return found.isoformat()
    return None


def find_statistics_year(text: str) -> int | None:
    """N of 本报告统计数据从N年1月1日至N年12月31日, when stated."""
    for match in _STATISTICS_PERIOD.finditer(text):
        window = text[max(0, match.start() - 40): match.start()]
        if "统计" in window or "数据" in window or "期限" in window or "时间" in window:
            return int(match[2] or match[1])
    return None


def find_stated_received(overview: str) -> int | None:
    """收到政府信息公开申请X件 (or 未收到…申请 → 0) in section 一."""
    for pattern in _RECEIVED:
        match = pattern.search(overview)
        if match:
            return int(match[1])
    if _RECEIVED_NONE.search(overview):
        return 0
    return None
