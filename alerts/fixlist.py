"""What a department must do about a finding, and by when: one sentence per rule, a fix-by date after first seen."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from checks.labels import TABLE_NAMES, cell_label, column_label, row_label

Item = Mapping[str, Any]

# Crawl outcomes in the words of the digest (never the code).
CRAWL_STATUS_NAMES = {"ok": "正常", "failed": "无法访问", "blocked": "网站拦截访问", "empty": "未找到年报"}
JOB_NAMES = {"crawl": "采集", "ocr": "OCR 识别", "check": "检查", "alerts": "发送通知"}
JOB_OUTCOME_NAMES = {"ok": "成功", "error": "出错", "misfire": "错过执行时间", None: "运行中"}  # job_runs.outcome


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def first_seen(item: Item) -> date | None:
    text = item.get("first_seen") or ""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def fix_by(item: Item, fix_days: int) -> date | None:
    """The day the finding should be fixed by: first seen + fix_days."""
    seen = first_seen(item)
    return seen + timedelta(days=fix_days) if seen else None


def _keys(item: Item) -> list[str]:
    keys = item.get("keys") or []
    if isinstance(keys, str):
        try:
            keys = json.loads(keys)
        except ValueError:
            return []
    return [str(key) for key in keys]


def _cells(keys: list[str]) -> str:
    return "、".join(dict.fromkeys(cell_label(key) for key in keys[:4])) + ("等单元格" if len(keys) > 4 else "")


def what_to_do(item: Item) -> str:
    """One sentence telling the department what to correct (请核对…)."""
    rule, keys = item.get("rule") or "", _keys(item)
    year = f"{item['year']}年度" if item.get("year") else ""
    first = keys[0] if keys else ""
    if rule == "balance" and keys:
        columns = "、".join(dict.fromkeys(f"“{column_label(key)}”" for key in keys))
        return (f"请核对申请情况表{columns}列的本年新收、上年结转、办理结果总计和结转下年度，"
                "使第一项加第二项之和等于第三项加第四项之和，更正后重新发布报告。")
    if rule in ("row_total", "results_total", "review_total", "litigation_total", "negative_value",
                "unreadable_value", "blank_cell", "unit_suspect", "implausible_value") and keys:
        return f"请核对{_cells(keys)}的数字，更正后重新发布报告。"
    if rule == "carry_over_mismatch" and keys:
        columns = "、".join(dict.fromkeys(column_label(key) for key in keys))
        return (f"请核对申请情况表“{row_label(first)}”（{columns}）是否与上一年度报告的“结转下年度继续办理”一致，"
                "不一致请说明或更正。")
    if rule == "in_force_rollover" and keys:
        return f"请核对主动公开情况表“{row_label(first)}”的现行有效件数，如有修订、清理请在报告中说明。"
    if rule == "narrative_mismatch":
        return "请核对“一、总体情况”中的数字与统计表是否一致，更正后重新发布报告。"
    if rule in ("missing_table", "missing_row", "missing_section"):
        return "请按国务院办公厅规定的年度报告格式补全缺少的部分或表格，重新发布报告。"
    if rule in ("outdated_template", "unknown_template"):
        return "请按国务院办公厅2021年印发的新版年度报告格式重新编制并发布报告。"
    if rule == "year_mismatch":
        return "请核对报告标题中的年度与正文统计期间是否一致，更正后重新发布报告。"
    if rule == "copied_report":
        return "请核对报告是否照搬了上一年度的内容，按本年度实际情况重新编制。"
    if rule == "duplicate_report":
        return "网站上同一年度有两份内容不同的报告，请撤下错误的一份或说明哪份为准。"
    if rule == "report_degraded":
        return "网站上的报告内容变得不完整，请检查网页或附件是否完整可读。"
    if rule == "late":
        return f"{year}报告已逾期发布，请在下一年度按时发布，并在本年度报告中说明原因。"
    if rule == "missing_report":
        return f"请尽快在政府信息公开专栏发布{year}政府信息公开工作年度报告；如该单位已撤销或合并，请告知监测人员。"
    table = TABLE_NAMES.get(first.split(".", 1)[0], "报告")
    return f"请核对{table}中的相关内容，更正后重新发布报告。"
