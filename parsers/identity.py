"""Which agency and year a report belongs to, from the evidence of every place that names them.

Each source (title line, opening sentence, page meta, the crawler's link text, the file name, the signature)
gives candidates (parsers.agency_candidates). Candidates that name the same body (after the county prefix is
supplied and short forms are folded: 县人社局 = XX县人力资源和社会保障局) pool their weights; the body with the
most support wins. The confidence is the pooled support minus a third of the support of the best other body, so a
name given by one weak source, or contradicted, is flagged in the report's warnings instead of guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from parsers.agency_bodies import PLACE_START, bodies, fullest, same_body
from parsers.agency_candidates import (
    Candidate,
    from_name_text,
    from_title_text,
    named_in_sentences,
    signature_of,
    titles_in,
)
from parsers.agency_names import is_short_form
from parsers.hints import Hints

# How much one source alone is believed (0..1); sources that agree pool as independent evidence.
WEIGHTS: dict[str, float] = {
    "title": 0.85, "opening": 0.85, "heading": 0.75, "ArticleTitle": 0.75, "link_text": 0.7,
    "page_title": 0.6, "signature": 0.6, "ContentSource": 0.5, "Description": 0.5, "publisher": 0.5,
    "file_name": 0.6, "breadcrumb": 0.4, "compiler": 0.7, "contact": 0.4, "statistics": 0.8, "closing_date": 0.5,
    # The national page metadata's Author: often an editor's name (no organ: never a candidate) or the uploading
    # office; on some portals the only place outside the body that names the report's organ.
    "Author": 0.4,
}
SOURCE_NAMES: dict[str, str] = {
    "title": "标题", "opening": "首段", "heading": "页面标题栏", "ArticleTitle": "网页ArticleTitle",
    "link_text": "链接文字", "page_title": "网页标题", "signature": "落款", "ContentSource": "网页信息来源",
    "Description": "网页描述", "publisher": "发布机构", "file_name": "文件名", "breadcrumb": "当前位置导航",
    "compiler": "编制单位", "contact": "联系单位", "Author": "网页作者",
    "statistics": "统计期限", "closing_date": "落款日期",
}
LOW_CONFIDENCE = 0.6
# How much a rival body's support takes off the winner's (a portal's ContentSource is often the uploader).
_RIVAL_PENALTY = 0.3
_HEAD_LINES = 12
_BARE_LEVEL = re.compile(r"^(?:县|区|市|旗)(?=[\u4e00-\u9fff]{2})")


@dataclass
class Identity:
    """The winning agency and year, where each came from and how sure the parser is; warnings in Chinese."""

    title: str | None = None
    agency: str | None = None
    agency_source: str | None = None
    agency_confidence: float = 0.0
    year: int | None = None
    year_source: str | None = None
    year_confidence: float = 0.0
    warnings: list[str] = field(default_factory=list)


def with_county(name: str, county: str | None) -> str:
    """The name with the crawl's county in front when it has none: 县人社局 → 泽州县人社局, 公安局 → 泽州县公安局."""
    if not county or name.startswith(county):
        return name
    if _BARE_LEVEL.match(name) and county.endswith(name[0]):
        return county + name[1:]
    if PLACE_START.match(name) or name.startswith(("中共", "共青团", "中国")):
        return name
    return county + name


def document_candidates(lines: list[str], meta: dict[str, str], hints: Hints | None) -> list[Candidate]:
    """Every candidate the document and its hints give, in no particular order."""
    head = [line.strip() for line in lines if line.strip()][:_HEAD_LINES]
    found: list[Candidate] = []
    for index, line in enumerate(head):
        in_line = titles_in(line, "title")
        # A name alone on its line and the year and report's name on the next (seed 000).
        if index + 1 < len(head) and len(line) <= 30 and (not in_line or all(c.agency is None for c in in_line)):
            joined = titles_in(line + head[index + 1], "title")
            in_line = [c for c in joined if c.agency] or in_line
        found += in_line
    found += named_in_sentences(head)
    for name in ("heading", "ArticleTitle", "Description"):
        found += from_title_text(meta.get(name), name)
    found += from_title_text(meta.get("title"), "page_title")
    for name in ("ContentSource", "publisher", "Author"):
        found += from_name_text(meta.get(name), name)
    found += from_name_text(meta.get("breadcrumb"), "breadcrumb")
    signature = signature_of(lines)
    if signature is not None:
        found.append(signature)
    if hints is not None:
        found += from_title_text(hints.link_text, "link_text")
        found += from_title_text(hints.page_title, "page_title")
        found += from_title_text(hints.file_name, "file_name")
    return found


def _pooled(sources: set[str]) -> float:
    doubt = 1.0
    for source in sources:
        doubt *= 1.0 - WEIGHTS.get(source, 0.3)
    return 1.0 - doubt


def choose_agency(candidates: list[Candidate], county: str | None) -> tuple[str | None, str | None, float, str | None]:
    """(name, source, confidence, runner-up name) of the best-supported body."""
    named = [(with_county(c.agency, county), c.source) for c in candidates if c.agency]
    if not named:
        return None, None, 0.0, None
    body_of = bodies(sorted({name for name, _ in named}))
    groups: list[list[tuple[str, str]]] = []  # the (body, source) entries of each body
    for name, source in named:
        body = body_of[name]
        group = next((g for g in groups if same_body(body, g[0][0])), None)
        if group is None:
            groups.append([(body, source)])
        else:
            group.append((body, source))
    ranked = sorted(groups, key=lambda g: (_pooled({s for _, s in g}), len({s for _, s in g})), reverse=True)
    best, runner = ranked[0], (ranked[1] if len(ranked) > 1 else None)
    confidence = _pooled({s for _, s in best}) - (_RIVAL_PENALTY * _pooled({s for _, s in runner}) if runner else 0.0)
    # The full name rather than a short form (泽州县人力资源和社会保障局 over 县人社局), then as the strongest
    # source spells it (the title's 卫生健康局 over a page's 卫生健康委员会), then the longest; with every place
    # another source puts in front of it.
    spelled = max(best, key=lambda e: (not is_short_form(e[0]), WEIGHTS.get(e[1], 0.0), len(e[0])))[0]
    name = fullest([body for body, _ in best], spelled)
    source = max((s for _, s in best), key=lambda s: WEIGHTS.get(s, 0.0))
    runner_name = max((body for body, _ in runner), key=len) if runner else None
    return name, source, round(max(0.0, min(1.0, confidence)), 2), runner_name


def choose_year(candidates: list[Candidate], statistics_year: int | None,
                closing_date: str | None) -> tuple[int | None, str | None, float]:
    """(year, source, confidence): the title's year, the statistics period's, the closing date's minus one."""
    support: dict[int, set[str]] = defaultdict(set)
    for candidate in candidates:
        if candidate.year:
            support[candidate.year].add(candidate.source)
    if statistics_year:
        support[statistics_year].add("statistics")
    if closing_date:
        support[int(closing_date[:4]) - 1].add("closing_date")
    if not support:
        return None, None, 0.0
    ranked = sorted(support, key=lambda y: (_pooled(support[y]), len(support[y])), reverse=True)
    best = ranked[0]
    rival = _pooled(support[ranked[1]]) if len(ranked) > 1 else 0.0
    confidence = _pooled(support[best]) - _RIVAL_PENALTY * rival
    source = max(support[best], key=lambda s: WEIGHTS.get(s, 0.0))
    return best, source, round(max(0.0, min(1.0, confidence)), 2)


def _title_of(candidates: list[Candidate], agency: str | None, county: str | None) -> str | None:
    titled = [c for c in candidates
              if c.title and c.agency and agency and same_body(with_county(c.agency, county), agency)]
    titled.sort(key=lambda c: WEIGHTS.get(c.source, 0.0), reverse=True)
    return titled[0].title if titled else None


def resolve_identity(lines: list[str], meta: dict[str, str], hints: Hints | None,
                     statistics_year: int | None, closing_date: str | None) -> Identity:
    """Agency, year and title of a report from its lines (normalized text), page meta and the caller's hints."""
    county = hints.county if hints else None
    candidates = document_candidates(lines, meta, hints)
    identity = Identity()
    agency, source, confidence, runner = choose_agency(candidates, county)
    identity.agency, identity.agency_source, identity.agency_confidence = agency, source, confidence
    identity.year, identity.year_source, identity.year_confidence = choose_year(candidates, statistics_year,
                                                                                closing_date)
    identity.title = _title_of(candidates, agency, county)
    identity.warnings = identity_warnings(identity, runner)
    return identity


def identity_warnings(identity: Identity, runner: str | None) -> list[str]:
    """Chinese warnings for a missing or doubtful agency or year."""
    warnings: list[str] = []
    if identity.agency is None:
        warnings.append("未能确定年报单位：标题、首段、网页信息和落款中都没有找到机关名称")
    elif identity.agency_confidence < LOW_CONFIDENCE:
        other = f"；另有依据指向“{runner}”" if runner else ""
        warnings.append(f"年报单位“{identity.agency}”把握不足（可信度{identity.agency_confidence:.2f}，"
                        f"依据：{SOURCE_NAMES.get(identity.agency_source or '', identity.agency_source)}）{other}")
    if identity.year is None:
        warnings.append("未能确定报告年度：标题、统计期限和落款日期中都没有年份")
    elif identity.year_confidence < LOW_CONFIDENCE:
        warnings.append(f"报告年度{identity.year}年把握不足（可信度{identity.year_confidence:.2f}，"
                        f"依据：{SOURCE_NAMES.get(identity.year_source or '', identity.year_source)}）")
    return warnings


def identity_in_doubt(agency_confidence: float | None, year_confidence: float | None) -> bool:
    """Whether a report's agency or year is too uncertain to store it as fully read (None: an older report)."""
    return any(value is not None and value < LOW_CONFIDENCE for value in (agency_confidence, year_confidence))
