"""What an export holds, in either header language: per report its facts, key totals, provenance (parser version,
crawl) and cells; and the open findings. db/export.py writes it as CSV, db/export_xlsx.py as an Excel workbook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from checks.model import RULE_NAMES
from db.store import Store, StoredReport, current_report_filter
from parsers.schema import key_info

Labels = Literal["keys", "zh"]
SECTION_NAMES = {"active": "主动公开", "requests": "申请情况", "reviews": "复议诉讼", "extra": "模板外"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Fact:
    name: str
    label: str


# Report facts before the cell columns, with their Chinese headers; the summary totals come from report_summary.
FACTS = (
    Fact("county_code", "区县代码"), Fact("county_name", "区县"), Fact("agency", "机关"), Fact("kind", "机关类型"),
    Fact("year", "年度"), Fact("template", "表格模板"), Fact("published_on", "报告落款日期"),
    Fact("page_date", "网页发布日期"), Fact("title", "标题"), Fact("version", "版本"), Fact("source_url", "原文网址"),
)
TOTALS = (
    Fact("received", "本年新收申请总数"), Fact("granted", "予以公开总计"), Fact("denied", "不予公开总计"),
    Fact("results_total", "办理结果总计"), Fact("carried_forward", "结转下年度继续办理"),
    Fact("reviews_total", "行政复议总计"), Fact("litigation_total", "行政诉讼总计"),
    Fact("open_findings", "未解决问题数"),
)
PROVENANCE = (
    Fact("report_id", "报告编号"), Fact("parser_version", "解析器版本"), Fact("crawl_run", "抓取批次"),
    Fact("crawl_started_at", "抓取批次开始时间"), Fact("first_seen", "首次见到时间"), Fact("sha256", "原始文件SHA-256"),
)
ALL_FACTS = FACTS + TOTALS + PROVENANCE

# The crawl a report came from: the last crawl of its county that began before nianbao first saw the report
# (none for reports brought in with `nianbao ingest`).
_CRAWL = ("(SELECT cr.{column} FROM crawl_runs cr WHERE cr.county_code = r.county_code AND cr.started_at <= "
          "r.first_seen ORDER BY cr.started_at DESC LIMIT 1)")
FACTS_SQL = f"""
SELECT r.id AS report_id, c.name AS county_name, r.parser_version, r.sha256,
  {_CRAWL.format(column="id")} AS crawl_run, {_CRAWL.format(column="started_at")} AS crawl_started_at,
  s.received, s.granted, s.denied, s.results_total, s.carried_forward, s.reviews_total, s.litigation_total,
  s.open_findings
FROM reports r LEFT JOIN counties c ON c.code = r.county_code LEFT JOIN report_summary s ON s.report_id = r.id
WHERE {{where}}"""


def cell_label(key: str) -> str:
    """申请情况·一、本年新收政府信息公开申请数量·自然人: section, row and column as the template prints them."""
    info = key_info(key)
    if info is None:
        return key
    return f"{SECTION_NAMES[info.section]}·{info.row_label}·{info.column_label}"


def headers(keys: list[str], labels: Labels) -> list[str]:
    """The header row: fact names or their Chinese labels, then one column per cell key."""
    if labels == "zh":
        return [fact.label for fact in ALL_FACTS] + [cell_label(key) for key in keys]
    return [fact.name for fact in ALL_FACTS] + keys


def report_rows(store: Store, keys: list[str], year: int | None = None,
                county_code: str | None = None) -> Iterator[list[Any]]:
    """One row per current report, in the order of `headers`: facts, totals, provenance, cells (None when blank)."""
    where, params = current_report_filter(year, county_code)
    extra = {row["report_id"]: row for row in store.db.query(FACTS_SQL.format(where=" AND ".join(where)), params)}
    for stored in store.current_reports(year=year, county_code=county_code):
        yield row_of(stored, extra.get(stored.id, {}), keys)


def row_of(stored: StoredReport, extra: dict[str, Any], keys: list[str]) -> list[Any]:
    known = {**{fact.name: getattr(stored, fact.name, None) for fact in FACTS}, **extra,
             "first_seen": stored.first_seen, "report_id": stored.id}
    values = stored.report.values
    return [known.get(fact.name) for fact in ALL_FACTS] + [values.get(key) for key in keys]


FINDING_HEADERS = {
    "keys": ["county_code", "county_name", "agency", "year", "rule", "rule_name", "message", "severity", "expected",
             "found", "cells", "report_id", "url", "first_seen"],
    "zh": ["区县代码", "区县", "机关", "年度", "规则代码", "问题", "说明", "严重程度", "应为", "实际", "涉及单元格",
           "报告编号", "原文网址", "首次发现时间"],
}


def finding_rows(store: Store, year: int | None = None, county_code: str | None = None) -> Iterator[list[Any]]:
    """The open findings of the exported year and county, in the order of FINDING_HEADERS."""
    where: list[str] = ["f.resolved_at IS NULL"]
    params: list[object] = []
    if year is not None:
        where.append("f.year = ?")
        params.append(year)
    if county_code is not None:
        where.append("f.county_code = ?")
        params.append(county_code)
    sql = f"""SELECT f.county_code, c.name AS county_name, f.agency, f.year, f.rule, f.message, f.severity,
                     f.expected, f.found, f.keys, f.report_id, f.url, f.first_seen
              FROM findings f LEFT JOIN counties c ON c.code = f.county_code WHERE {' AND '.join(where)}
              ORDER BY f.county_code, f.agency, f.year, f.rule, f.id"""
    for row in store.db.query(sql, params):
        cells = "、".join(cell_label(key) for key in json.loads(row["keys"] or "[]"))
        yield [row["county_code"], row["county_name"], row["agency"], row["year"], row["rule"],
               RULE_NAMES.get(row["rule"], row["rule"]), row["message"],
               SEVERITY_NAMES.get(row["severity"], row["severity"]), row["expected"], row["found"], cells,
               row["report_id"], row["url"], row["first_seen"]]
