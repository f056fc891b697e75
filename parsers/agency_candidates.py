"""Where a report names its author: candidate (agency, year) pairs from titles, sentences and page chrome.

A report names the body that wrote it in many places: its title line(s), the opening sentence
(根据《条例》要求，现发布《XX县人社局2023年政府信息公开工作年度报告》), the page's <title> and meta,
the link the crawler followed, the attachment's file name, the signature above the closing date.
Each gives a candidate; `parsers.identity` scores them. A candidate is kept only if it looks like the
name of a government organ, so a sentence (根据…要求,特向社会公布XX局) never becomes an agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.normalize import compact, normalize_text

_REPORT_SUFFIX = (
    r"(?:政府信息公开工作年度报告|政府信息公开年度报告|政府信息公开工作报告|信息公开工作年度报告"
    r"|信息公开年度报告|政府信息公开年报|政务公开工作年度报告|政府信息公开工作年报)"
)
# The report's name; the body's name and the year (optional: 会昌县水利局政府信息公开工作年度报告) precede it.
_SUFFIX = re.compile(_REPORT_SUFFIX)
# What follows a report's name when it is the subject of another document, not a title: 《国务院办公厅政府信息与
# 政务公开办公室关于政府信息公开工作年度报告有关事项的通知》, which every 2019-template report cites.
_ABOUT_REPORTS = re.compile(r"有关事项|有关问题|编制和发布|的通知")
_YEAR_AT_END = re.compile(r"(20\d{2})年度?$")
_WINDOW = 80
# Characters a name never holds: punctuation of the sentence around it, book-title marks, separators.
_NAME_BREAK = re.compile(r"[,，。.:：;；!！?？、\"“”'‘’《》〈〉<>＞»«/|｜_\-—–~·•\[\]【】{}()（）#*\s]")
# Words that open the title inside a sentence; the name starts after the last of them.
_LEAD_WORDS = re.compile(
    r"^.*(?:特向社会公布|向社会公布|现予公布|予以公布|现发布|现公布|公布|发布|印发|现将|现就|关于|编制(?!委)了?|形成了?|"
    r"附件\d*|下载)"
)
# A name must end like an organ (局, 委, 人民政府, 街道办事处…).
_ORGAN_END = re.compile(
    r"(?:局|委|办|院|政府|中心|队|所|处|会|部|厅|室|站|馆|署|社|镇|乡|街道|苏木|管委会|办事处|委员会|"
    r"公署|总队|支队|大队|集团|公司|法院|检察院)$"
)
# Words of a sentence, a report or a document, never of a name.
_NOT_A_NAME = re.compile(
    r"根据|要求|条例|公布|发布|报告|年度|本单位|本机关|本局|我局|我委|我办|本委|本办|现将|特向|以下简称|"
    r"政府信息公开|信息公开|通知|印发|关于|附件"
)
_YEAR_IN_NAME = re.compile(r"20\d{2}年?度?")
# A signature or ContentSource line: only the name (at most a date after it).
_SIGNATURE = re.compile(r"^(?P<name>[\u4e00-\u9fff()]{3,40}?)(?:20\d{2}年.*|二[〇零○O].*)?$")
_BARE_PLACE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治县|自治旗|自治州|自治区|县|区|旗|市|州|盟|省|镇|乡|街道)")
_MAX_LINE = 600
_CHROME_SEPARATORS = re.compile(r"\s*(?:[_|｜»>]|-{1,2}|—{1,2}|－)\s*")


@dataclass(frozen=True)
class Candidate:
    """One place's answer: the organ name it gives (or None), the year it gives (or None), and its source."""

    source: str
    agency: str | None
    year: int | None
    title: str | None = None


def looks_like_organ(name: str) -> bool:
    """Whether a string can be the name of a government organ: short, no sentence words, an organ's ending."""
    return (2 <= len(name) <= 40 and bool(_ORGAN_END.search(name)) and not _NOT_A_NAME.search(name)
            and not re.search(r"[A-Za-z]|^\d", name))


def clean_name(text: str) -> str | None:
    """The organ name at the end of `text` (what precedes a report's year), or None when it is no name."""
    text = compact(normalize_text(text))
    parts = [part for part in _NAME_BREAK.split(text) if part]
    if not parts:
        return None
    name = _LEAD_WORDS.sub("", re.sub(r"(?:关于|的)$", "", parts[-1]))
    name = _YEAR_IN_NAME.sub("", name)
    if _BARE_PLACE.fullmatch(name):
        # 宿迁市2025年政府信息公开工作年度报告, 高岭镇_2017年_…: the government's own report; a 综合实验区
        # (平潭综合实验区) has no 人民政府, its 管委会 governs it.
        name += "办事处" if name.endswith("街道") else "管委会" if name.endswith("实验区") else "人民政府"
    return name if looks_like_organ(name) else None


def _year_before(text: str) -> int | None:
    """A year written ahead of the name: 【2023年】会昌县教育体育局政府信息公开工作年度报告."""
    years = re.findall(r"(20\d{2})年", text[-40:])
    return int(years[-1]) if years else None


def titles_in(text: str, source: str) -> list[Candidate]:
    """Every report title in a line or sentence, as (name, year) candidates; nameless titles keep their year."""
    if "报告" not in text and "年报" not in text and "報告" not in text and "年報" not in text:
        return []
    # A title sits near the start of its line; the cap bounds the work on a paragraph-long PDF line.
    line = compact(normalize_text(text[:_MAX_LINE]))
    found: list[Candidate] = []
    previous_end = 0
    for match in _SUFFIX.finditer(line):
        # What precedes the report's name, back to the previous title: [name][year年度]
        window = line[max(previous_end, match.start() - _WINDOW):match.start()]
        previous_end = match.end()
        if _ABOUT_REPORTS.match(line, match.end()):
            continue
        year_match = _YEAR_AT_END.search(window)
        before = window[:year_match.start()] if year_match else window
        year = int(year_match[1]) if year_match else _year_before(before)
        phrase = (year_match.group(0) if year_match else "") + match.group(0)
        # A report named in 《…》: only what is inside the marks is the title.
        if "《" in before:
            before = before[before.rindex("《") + 1:]
        name = clean_name(before) if before else None
        title = name + phrase if name else None
        # A line that is only the title (with a few marks around it) is a title line, else a sentence.
        kind = "opening" if source == "title" and len(line) - len(title or phrase) > 8 else source
        found.append(Candidate(kind, name, year, title))
    return found


def chrome_segments(text: str) -> list[str]:
    """A page title cut at its site chrome: 'XX局2023年…报告_XX县人民政府门户网站' → both parts."""
    return [part for part in _CHROME_SEPARATORS.split(normalize_text(text).strip()) if part]


def from_title_text(text: str | None, source: str) -> list[Candidate]:
    """Candidates from a title-like string (a <title>, ArticleTitle, link text, file name, heading)."""
    if not text:
        return []
    found: list[Candidate] = []
    for segment in chrome_segments(text):
        found += titles_in(segment, source)
    if not any(candidate.agency for candidate in found):
        # 高岭镇_2017年_政府信息公开工作年度报告: the separators cut the title itself.
        found += [c for c in titles_in(_CHROME_SEPARATORS.sub("", text), source) if c.agency]
    return found


def from_name_text(text: str | None, source: str) -> list[Candidate]:
    """A candidate from a field that holds a bare name (ContentSource, 发布机构, a breadcrumb's last step)."""
    if not text:
        return []
    for segment in reversed(chrome_segments(text)):
        name = clean_name(segment)
        if name:
            return [Candidate(source, name, None)]
    return []


# The opening names who compiled the report (本报告由XX县财政局编制) and whom to ask (请与XX局联系).
_COMPILER = re.compile(r"由([^,，。、;；:：()（）]{2,40}?)(?:负责|根据[^,，。]{0,60})?编制(?!委)")
_CONTACT = re.compile(r"请与([^,，。、;；:：()（）]{2,40}?)联系")
# A desk inside an organ (…管委会办公室保密与电子政务处, …人民政府办公室政务公开股): the organ that holds it is
# the one named. A 办事处 is an organ of its own, not a desk.
_DESK = re.compile(
    r"^(?P<organ>.+(?:办公室|人民政府|管委会|管理委员会|委员会|局|委|办|中心))[\u4e00-\u9fff]{1,11}(?<!办事)(?:处|科|股)$"
)


def holder_of_desk(name: str) -> str:
    """The organ that holds a desk named in a sentence (…办公室政务公开股 → …办公室); any other name as it is."""
    match = _DESK.match(name)
    return match["organ"] if match else name


def named_in_sentences(lines: list[str]) -> list[Candidate]:
    """The compiler and the contact named in the report's first lines (a desk stands for its organ)."""
    found: list[Candidate] = []
    for line in lines:
        text = compact(line)
        for pattern, source in ((_COMPILER, "compiler"), (_CONTACT, "contact")):
            match = pattern.search(text)
            name = clean_name(holder_of_desk(match[1])) if match else None
            if name:
                found.append(Candidate(source, name, None))
    return found


def signature_of(lines: list[str]) -> Candidate | None:
    """The organ name signed above the closing date (or on the date's line, before it), if any."""
    tail = [compact(line) for line in [line for line in lines[-16:] if line.strip()][-8:]]
    for index in range(len(tail) - 1, -1, -1):
        line = tail[index]
        if not re.search(r"20\d{2}\s*(?:年|-|/|\.)|二[〇零○O][一二三四五六七八九〇零○O]{2}年", line) or len(line) > 40:
            continue
        match = _SIGNATURE.match(line)
        if match and looks_like_organ(match["name"]):
            return Candidate("signature", match["name"], None)
        if index > 0:
            previous = _SIGNATURE.match(tail[index - 1])
            if previous and looks_like_organ(previous["name"]):
                return Candidate("signature", previous["name"], None)
        return None
    return None
