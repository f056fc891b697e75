"""Findings: what a rule found, serializable exactly as checks.md's JSON, with a stable fingerprint."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

RuleCode = Literal[
    "balance", "row_total", "results_total", "review_total", "litigation_total", "negative_value",
    "unreadable_value", "blank_cell", "unit_suspect", "implausible_value", "narrative_mismatch", "missing_table",
    "missing_row",
    "outdated_template", "unknown_template", "year_mismatch", "missing_section",
    "carry_over_mismatch", "in_force_rollover", "copied_report", "duplicate_report", "report_degraded",
    "late", "missing_report",
]

# Severity of each rule (checks.md: error = the report contradicts itself or the law,
# warning = probably wrong, needs a person). Rules that cannot judge emit "info" instead.
SEVERITY: dict[str, Severity] = {
    "balance": "error",
    "row_total": "error",
    "results_total": "error",
    "review_total": "error",
    "litigation_total": "error",
    "negative_value": "error",
    "unreadable_value": "warning",
    "blank_cell": "warning",
    "unit_suspect": "warning",
    "implausible_value": "warning",
    "narrative_mismatch": "error",
    "missing_table": "error",
    "missing_row": "warning",
    "outdated_template": "warning",
    "unknown_template": "warning",
    "year_mismatch": "error",
    "missing_section": "error",
    # Not official rules: corrections and re-organisations (a corrected report, a merged agency) break them
    # legitimately.
    "carry_over_mismatch": "warning",
    "in_force_rollover": "warning",
    "copied_report": "warning",
    "duplicate_report": "warning",
    "report_degraded": "warning",
    "late": "error",
    "missing_report": "error",
}
RULES: tuple[str, ...] = tuple(SEVERITY)

# What each rule is about, in words a county official reads (digests, summaries).
RULE_NAMES: dict[str, str] = {
    "balance": "申请收支不平衡",
    "row_total": "申请情况表总计列不符",
    "results_total": "办理结果总计不符",
    "review_total": "行政复议总计不符",
    "litigation_total": "行政诉讼总计不符",
    "negative_value": "数值为负",
    "unreadable_value": "单元格不是数字",
    "blank_cell": "单元格空白",
    "unit_suspect": "金额单位可疑",
    "implausible_value": "数值大得不合常理",
    "narrative_mismatch": "正文数字与表格不符",
    "missing_table": "缺少统计表",
    "missing_row": "缺少模板行",
    "outdated_template": "使用了过时模板",
    "unknown_template": "模板无法识别",
    "year_mismatch": "标题年度与统计期间不符",
    "missing_section": "缺少报告部分",
    "carry_over_mismatch": "上年结转数与上年报告不符",
    "in_force_rollover": "现行有效件数前后不衔接",
    "copied_report": "与上年报告雷同",
    "duplicate_report": "同一年度多份报告数据不同",
    "report_degraded": "网站上的报告变得不完整",
    "late": "逾期发布",
    "missing_report": "未发布年度报告",
}

# The rules about a county's portal (checks/sites.py), judged as each crawl is recorded, not by a check run: kept
# out of RULES, whose open findings a check run resolves when it does not find them again.
SITE_SEVERITY: dict[str, Severity] = {"site_unreachable": "warning", "site_changed": "warning"}
SITE_RULE_NAMES: dict[str, str] = {"site_unreachable": "门户网站无法访问", "site_changed": "门户网站改版，未找到年报"}


def rule_name(rule: str) -> str:
    """The Chinese name of a rule code (a report rule or a site rule), for summaries; "" when unknown."""
    return RULE_NAMES.get(rule) or SITE_RULE_NAMES.get(rule, "")


Value = int | float | str | None
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)  # 300,000 of them at national scale
class Finding:
    """One thing a rule found; JSON fields in the order of checks.md."""

    rule: str
    severity: Severity
    county: str | None
    agency: str | None
    year: int | None
    keys: list[str]
    expected: Value
    found: Value
    message: str
    url: str | None
    report_id: int | None = None
    # Agency name used for the fingerprint (normalized, so 县人社局 and its full name match).
    agency_key: str | None = field(default=None, repr=False)
    # The keys that name the defect, when fewer than the cells it touches (a merged finding keeps the fingerprint
    # it had before more cells joined it).
    identity_keys: list[str] | None = field(default=None, repr=False)
    # Stable identity: rule + county + agency + year + keys (so a finding seen again is updated).
    fingerprint: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = self.keys if self.identity_keys is None else self.identity_keys
        identity = [self.rule, self.county or "", self.agency_key or self.agency or "", self.year, sorted(keys)]
        encoded = _COMPACT_JSON.encode(identity)
        self.fingerprint = hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        """The finding object of checks.md, exactly its ten fields."""
        return {
            "rule": self.rule, "severity": self.severity, "county": self.county, "agency": self.agency,
            "year": self.year, "keys": list(self.keys), "expected": self.expected, "found": self.found,
            "message": self.message, "url": self.url,
        }


def merged(findings: list[Finding], message: str) -> Finding:
    """One finding for one defect seen in several cells (the same identity broken in several columns): every cell
    it touches, expected and found of the last part (the 总计 column comes last), and the fingerprint of that part,
    so a defect once seen in one column stays the same finding when more columns join."""
    anchor = findings[-1]
    keys = list(dict.fromkeys(key for finding in findings for key in finding.keys))
    return Finding(rule=anchor.rule, severity=anchor.severity, county=anchor.county, agency=anchor.agency,
                   year=anchor.year, keys=keys, expected=anchor.expected, found=anchor.found, message=message,
                   url=anchor.url, report_id=anchor.report_id, agency_key=anchor.agency_key,
                   identity_keys=list(anchor.keys))
