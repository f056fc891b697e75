"""The words of `nianbao lint` for the office that drafts a report: where each problem is (table, row and column as
the template prints them), its arithmetic, and what to do.

The findings come from the rules; this module only says them again with the draft's own numbers, and falls back
to the rule's message whenever those numbers do not give the rule's result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checks.labels import column_label, row_label, same
from checks.labels import number_text as n
from checks.lint import HISTORY_RULES, DraftCheck
from checks.model import Finding
from parsers.errors import ParseError
from parsers.report import ParsedReport
from parsers.schema import REQUEST_COLUMNS, RESULT_ROW_PREFIXES, REVIEW_COLUMNS, SECTIONS, key_info, rows_of
from parsers.values import Number

# The three tables of the template stand under sections 二, 三 and 四 of the report.
TABLE_NUMBERS = {"active": "表二", "requests": "表三", "reviews": "表四"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
TEMPLATE_NAMES = {"2019": "2019年版模板", "2021": "2021年版模板", "pre2019": "2019年以前的年报（没有统一统计表）"}
YEAR_SOURCES = {"option": "--year 指定", "title": "标题", "statistics": "正文统计期限"}
BLANK_LIST_LIMIT = 8

# What to do, one sentence per rule.
FIXES = {
    "balance": "核对该列四项数字并改正填错的一项，使第一项加第二项之和等于第三项加第四项之和。",
    "row_total": "总计应为六类申请人之和：改正总计，或改正填错的申请人列。",
    "results_total": "（七）总计应为（一）至（六）各项办理结果之和：改正总计，或改正填错的办理结果。",
    "review_total": "总计应为结果维持、结果纠正、其他结果、尚未审结四项之和：改正总计，或改正填错的分项。",
    "litigation_total": "总计应为结果维持、结果纠正、其他结果、尚未审结四项之和：改正总计，或改正填错的分项。",
    "negative_value": "填写实际数字，件数和金额不能小于0。",
    "unreadable_value": "单元格中只填阿拉伯数字，没有发生的填0，说明文字写在正文里。",
    "blank_cell": "在空白单元格中填上数字，没有发生的填0。",
    "unit_suspect": "金额按万元填写（以元计的金额除以10000）。",
    "implausible_value": "核对这个数字，是否多写了数字，或把两个单元格的数字连在了一起。",
    "narrative_mismatch": "核对后使正文中的数字与统计表一致。",
    "missing_table": "按统一格式补上这一部分的统计表，没有发生的事项填0，不要用文字代替。",
    "missing_row": "按模板补上这一行，没有发生的填0。",
    "outdated_template": "按该年度适用的模板重新填表（2021年度起用国办公开办函〔2021〕30号的格式）。",
    "unknown_template": "按国办公开办函〔2021〕30号的统一格式填表，不要增删或改动模板的行和列。",
    "year_mismatch": "统一标题中的年度和正文中的统计期限。",
    "missing_section": "补上这一部分；没有需要报告的内容，也应写明。",
    "carry_over_mismatch": "上年结转应等于上年报告的结转下年度继续办理：改正本表，或在报告中说明更正的原因。",
    "in_force_rollover": "核对现行有效件数；因修订、清理而前后不衔接的，可在报告中说明。",
    "copied_report": "按本年度的实际情况撰写正文、填写数据，不要照抄上年报告。",
}
INFO_FIX = "请人工核对。"
HISTORY_NOTE = ("未做上年比对：“上年结转”与上年报告的“结转下年度继续办理”、现行有效件数前后衔接、与上年报告雷同，"
                f"这{len(HISTORY_RULES)}项检查需要上年报告，可用 --previous 上年报告文件 补做。")


@dataclass(frozen=True)
class Problem:
    """One finding as the office reads it."""

    finding: Finding
    text: str  # where it is, and what is wrong (with the arithmetic)
    fix: str  # what to do, one sentence


def cell_where(key: str) -> str:
    """表四 行政诉讼·未经复议直接起诉·总计: the table, then the row and the column as the template prints them."""
    info = key_info(key)
    if info is None:
        return key
    return f"{TABLE_NUMBERS[info.section]} {info.row_label}·{info.column_label}"


def _terms(keys: list[str], report: ParsedReport, label: Callable[[str], str]) -> list[tuple[str, Number]] | None:
    values = [report.values.get(key) for key in keys]
    if any(value is None for value in values):
        return None
    return [(label(key), value) for key, value in zip(keys, values, strict=True) if value is not None]


def _sum_text(where: str, terms: list[tuple[str, Number]] | None, finding: Finding, *, drop_zeros: bool = False
              ) -> str | None:
    """where：a+b+c=S，表中填写T; None when the draft's numbers do not give the rule's sum."""
    if terms is None or not isinstance(finding.expected, int | float) or not isinstance(finding.found, int | float):
        return None
    if not same(sum(value for _, value in terms), finding.expected):
        return None
    shown = [(label, value) for label, value in terms if value or not drop_zeros]
    if not shown:
        return f"{where}：各项均为0，表中填写{n(finding.found)}"
    rest = "（其余各项为0）" if len(shown) < len(terms) else ""
    arithmetic = "+".join(f"{label}{n(value)}" for label, value in shown)
    return f"{where}：{arithmetic}={n(finding.expected)}{rest}，表中填写{n(finding.found)}"


def _review_total(finding: Finding, report: ParsedReport) -> str | None:
    total_key = finding.keys[0]
    row = total_key.rsplit(".", 1)[0]
    parts = [f"{row}.{column.key}" for column in REVIEW_COLUMNS if column.key != "total"]
    return _sum_text(cell_where(total_key), _terms(parts, report, column_label), finding)


def _row_total(finding: Finding, report: ParsedReport) -> str | None:
    total_key = finding.keys[0]
    row = total_key.rsplit(".", 1)[0]
    parts = [f"{row}.{column.key}" for column in REQUEST_COLUMNS if column.key != "total"]
    return _sum_text(cell_where(total_key), _terms(parts, report, column_label), finding)


def _results_total(finding: Finding, report: ParsedReport) -> str | None:
    total_key = finding.keys[0]
    column = total_key.rsplit(".", 1)[1]
    rows = [row.key for row in rows_of("requests", report.template) if row.key.startswith(RESULT_ROW_PREFIXES)]
    parts = [f"requests.{row}.{column}" for row in rows]
    return _sum_text(cell_where(total_key), _terms(parts, report, row_label), finding, drop_zeros=True)


def _balance(finding: Finding, report: ParsedReport) -> str | None:
    """One column, or each column of a balance broken in several (one finding: checks.sums.balance)."""
    if not finding.keys or len(finding.keys) % 4:
        return None
    columns = []
    for start in range(0, len(finding.keys), 4):
        values = [report.values.get(key) for key in finding.keys[start:start + 4]]
        if any(value is None for value in values):
            return None
        received, carried_over, results, carried_forward = (value or 0 for value in values)
        columns.append((column_label(finding.keys[start]),
                        f"一、本年新收{n(received)}+二、上年结转{n(carried_over)}={n(received + carried_over)}，"
                        f"三（七）总计{n(results)}+四、结转下年度继续办理{n(carried_forward)}="
                        f"{n(results + carried_forward)}"))
    if len(columns) == 1:
        return f"表三 {columns[0][0]}列（第一项加第二项之和，应等于第三项加第四项之和）：{columns[0][1]}"
    return (f"表三 {'、'.join(f'{label}列' for label, _ in columns)}（第一项加第二项之和，应等于第三项加第四项之和）："
            + "；".join(f"{label}列 {arithmetic}" for label, arithmetic in columns))


def _negative(finding: Finding, report: ParsedReport) -> str | None:
    key = finding.keys[0]
    return f"{cell_where(key)}：填写“{report.raw.get(key, '')}”，是负数"


def _unreadable(finding: Finding, report: ParsedReport) -> str | None:
    key = finding.keys[0]
    return f"{cell_where(key)}：填写的“{report.raw.get(key, '')}”不是数字，相关合计无法核对"


def _unit_suspect(finding: Finding, report: ParsedReport) -> str | None:
    key = finding.keys[0]
    return (f"{cell_where(key)}：填写“{report.raw.get(key, '')}”，即{n(report.values.get(key))}万元，金额过大，"
            "可能把“元”填进了“万元”单元格")


def _implausible(finding: Finding, report: ParsedReport) -> str | None:
    key = finding.keys[0]
    bound = finding.expected
    if not isinstance(bound, int | float):
        return None
    return f"{cell_where(key)}：填写“{report.raw.get(key, '')}”，超过{n(bound)}，大得不合常理"


def _narrative(finding: Finding, report: ParsedReport) -> str | None:
    key = finding.keys[0]
    stated, table = report.stated.get(key), report.values.get(key)
    return f"“一、总体情况”中写的是{n(stated)}，{cell_where(key)}填写{n(table)}"


def _blank_cells(finding: Finding, report: ParsedReport) -> str | None:
    shown = "；".join(cell_where(key) for key in finding.keys[:BLANK_LIST_LIMIT])
    more = f"等共{len(finding.keys)}个" if len(finding.keys) > BLANK_LIST_LIMIT else ""
    return f"{len(finding.keys)}个单元格空白：{shown}{more}（用到这些单元格的合计无法核对）"


def _missing_table(finding: Finding, report: ParsedReport) -> str | None:
    section = finding.keys[0]
    return f"“{SECTIONS[section]}”部分没有统计表（{TABLE_NUMBERS[section]}）"


def _missing_row(finding: Finding, report: ParsedReport) -> str | None:
    section = finding.keys[0].split(".", 1)[0]
    return f"{TABLE_NUMBERS[section]}缺少模板中的“{finding.expected}”行"


def _with_place(finding: Finding, report: ParsedReport) -> str | None:
    infos = [key_info(key) for key in finding.keys]
    first = infos[0]
    if len(infos) > 1 and first and all(i and (i.section, i.row_label) == (first.section, first.row_label)
                                        for i in infos):
        # One defect over several columns of a row (checks.model.merged): the row, then its columns.
        columns = "、".join(i.column_label for i in infos if i)
        return f"{TABLE_NUMBERS[first.section]} {first.row_label}·{columns}：{finding.message}"
    return f"{cell_where(finding.keys[0])}：{finding.message}"


_TEXTS: dict[str, Callable[[Finding, ParsedReport], str | None]] = {
    "balance": _balance,
    "row_total": _row_total,
    "results_total": _results_total,
    "review_total": _review_total,
    "litigation_total": _review_total,
    "negative_value": _negative,
    "unreadable_value": _unreadable,
    "blank_cell": _blank_cells,
    "unit_suspect": _unit_suspect,
    "implausible_value": _implausible,
    "narrative_mismatch": _narrative,
    "missing_table": _missing_table,
    "missing_row": _missing_row,
    "carry_over_mismatch": _with_place,
    "in_force_rollover": _with_place,
}


def describe(finding: Finding, report: ParsedReport) -> Problem:
    """A finding with its place and arithmetic in the draft, and what to do."""
    text = None
    if finding.severity != "info" and finding.rule in _TEXTS:
        try:
            text = _TEXTS[finding.rule](finding, report)
        except (IndexError, KeyError, TypeError):
            text = None  # an unexpected shape of finding: the rule's own message says it
    fix = FIXES.get(finding.rule, INFO_FIX) if finding.severity != "info" else INFO_FIX
    return Problem(finding, text or finding.message, fix)


def header(path: str, check: DraftCheck) -> str:
    """The file and what was read from it: agency, year and its source, template."""
    report, record = check.report, check.record
    agency = record.agency or "单位未识别（标题应写作“××局2024年政府信息公开工作年度报告”）"
    if record.year is not None and check.year_source is not None:
        year = f"{record.year}年度（{YEAR_SOURCES[check.year_source]}）"
    else:
        year = "年度未识别（可用 --year 指定）"
    parts = [agency, year]
    if check.year_source != "statistics":  # the opening sentence: 本报告所列数据的统计期限自N年1月1日起…
        parts.append(f"统计期限{report.statistics_year}年" if report.statistics_year else "未读到统计期限")
    parts.append(TEMPLATE_NAMES.get(report.template, "模板未识别"))
    if check.previous is not None:
        parts.append(f"比对上年报告 {check.previous.url}（{check.previous.year or '?'}年度）")
    return f"{path}：" + " · ".join(parts)


def document_lines(path: str, check: DraftCheck) -> list[str]:
    """What `nianbao lint` prints for one draft: one line when it is clean."""
    problems = [describe(finding, check.report) for finding in check.findings]
    errors, warnings = check.count("error"), check.count("warning")
    if not problems:
        lines = [f"{header(path, check)} · 未发现问题"]
    else:
        counts = "、".join(part for part in (f"{errors}个错误" if errors else "",
                                            f"{warnings}个警告" if warnings else "") if part) or "只有提示"
        lines = [f"{header(path, check)} · {counts}"]
    for problem in problems:
        lines.append(f"  {SEVERITY_NAMES[problem.finding.severity]}  {problem.text}")
        lines.append(f"        改正：{problem.fix}")
    lines += [f"  读取提示：{warning}" for warning in check.report.warnings]
    return lines


def document_json(path: str, check: DraftCheck) -> dict[str, Any]:
    """One draft as `nianbao lint --json` prints it (one object per line)."""
    report = check.report
    problems = []
    for finding in check.findings:
        problem = describe(finding, report)
        problems.append({**finding.to_json(), "text": problem.text, "fix": problem.fix})
    return {
        "file": path, "agency": check.record.agency, "year": check.record.year, "year_from": check.year_source,
        "template": report.template, "statistics_year": report.statistics_year,
        "errors": check.count("error"), "warnings": check.count("warning"), "problems": problems,
        "skipped": list(check.skipped), "previous": check.previous.url if check.previous else None,
        "parser_warnings": list(report.warnings),
    }


# Why a file could not be read (ParseError.reason), in the office's words.
UNREADABLE_HINTS = {
    "corrupt": "文件已损坏，或内容与扩展名不符：请用Word重新另存为 .docx",
    "unsupported_format": "不支持这种格式：请另存为 .docx 或 .pdf",
    "too_large": "文件过大：请去掉图片后另存",
    "needs_ocr": "这是扫描件，没有文字：请检查Word原稿",
    "missing_tool": "读取 .doc/.wps 需要安装 LibreOffice，也可以另存为 .docx",
    "not_a_report": "没有找到统计表：请确认是年度报告，且表格不是图片",
}


def unreadable_hint(error: ParseError) -> str:
    """What to do about a draft that could not be read."""
    return UNREADABLE_HINTS.get(error.reason, "无法读取这个文件")


