"""The report's form: sections, tables, template rows, template version, years, narrative numbers."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from checks.labels import TABLE_NAMES, cell_label, same
from checks.labels import number_text as n
from checks.model import Finding
from checks.subject import Subject
from parsers.schema import OUTLINE, SECTIONS, TEMPLATES, Row, rows_of

TEMPLATE_NAMES = {
    "2019": "2019年版模板（国办公开办函〔2019〕60号）",
    "2021": "2021年版模板（国办公开办函〔2021〕30号）",
}


def missing_section(subject: Subject) -> Iterator[Finding]:
    """One of the six sections 一…六 is absent (条例第五十条)."""
    found = subject.report.sections
    if not found:
        yield subject.finding(
            "missing_section", [], None, None,
            "未能识别报告的章节标题（一至六），无法判断是否遗漏部分，请人工查看", severity="info",
        )
        return
    for numeral, title in OUTLINE.items():
        if numeral not in found:
            yield subject.finding(
                "missing_section", [numeral], title, None,
                f"报告缺少“{title}”部分（条例第五十条规定的内容不能遗漏）",
            )


def missing_table(subject: Subject) -> Iterator[Finding]:
    """One of the sections 二, 三, 四 has no table."""
    for name, title in SECTIONS.items():
        if name not in subject.report.tables:
            yield subject.finding(
                "missing_table", [name], title, None,
                f"“{title}”部分没有统计表（应按统一格式填表，没有发生的填0，不能用文字代替）",
            )


def missing_row(subject: Subject) -> Iterator[Finding]:
    """A row of the template is absent from a table that is present."""
    report = subject.report
    if report.template not in TEMPLATES:
        return
    every_key = _every_row_key(report.template)
    if every_key is not None and report.values.keys() >= every_key:
        return  # the usual report: every cell of every row
    for section in SECTIONS:
        if section not in report.tables:
            continue  # missing_table says so
        for row, keys in _row_keys(section, report.template):
            if report.values.keys().isdisjoint(keys):
                yield subject.finding(
                    "missing_row", [f"{section}.{row.key}"], row.label, None,
                    f"{TABLE_NAMES[section]}缺少模板中的“{row.label}”行（没有发生的应填0）",
                )


@cache
def _every_row_key(template: str) -> frozenset[str] | None:
    """Every cell key of every row of a template; None if a row has no cells (it always counts as missing)."""
    rows = [keys for section in SECTIONS for _, keys in _row_keys(section, template)]
    return frozenset(key for keys in rows for key in keys) if all(rows) else None


@cache
def _row_keys(section: str, template: str) -> list[tuple[Row, tuple[str, ...]]]:
    """(row, its cell keys) for every row of a section of a template."""
    return [(row, tuple(f"{section}.{row.key}.{column.key}" for column in row.columns))
            for row in rows_of(section, template)]


def report_year(subject: Subject) -> int | None:
    """The year the report is for: its title's year, else its statistics period."""
    return subject.record.year or subject.report.year or subject.report.statistics_year


def outdated_template(subject: Subject) -> Iterator[Finding]:
    """Year ≥ 2021 on template 2019, or year ≤ 2020 on template 2021 (国办公开办函〔2021〕30号)."""
    template, year = subject.report.template, report_year(subject)
    if year is None or template not in TEMPLATES:
        return
    expected = "2021" if year >= 2021 else "2019"
    if template != expected:
        yield subject.finding(
            "outdated_template", [], expected, template,
            f"{year}年度报告应使用{TEMPLATE_NAMES[expected]}，实际使用的是{TEMPLATE_NAMES[template]}",
        )


def unknown_template(subject: Subject) -> Iterator[Finding]:
    """Tables that match neither national template."""
    if subject.report.template not in TEMPLATES and subject.report.tables:
        yield subject.finding(
            "unknown_template", [], "2021", "unknown",
            "统计表与2019年版、2021年版统一格式都不相符，部分合计无法核对，请人工查看",
        )


def year_mismatch(subject: Subject) -> Iterator[Finding]:
    """The year in the title differs from the statistics period stated in the text."""
    title_year = subject.report.year or subject.record.year
    stated = subject.report.statistics_year
    if title_year is not None and stated is not None and title_year != stated:
        yield subject.finding(
            "year_mismatch", [], title_year, stated,
            f"标题是{title_year}年度报告，正文却写统计数据从{stated}年1月1日至{stated}年12月31日",
        )


def narrative_mismatch(subject: Subject) -> Iterator[Finding]:
    """A number stated in 一、总体情况 differs from the table."""
    report = subject.report
    for key, stated in sorted(report.stated.items()):
        table = report.values.get(key)
        if table is None or report.states.get(key) not in ("number", "none"):
            continue  # blank or unreadable cell: blank_cell / unreadable_value say so
        if not same(stated, table):
            yield subject.finding(
                "narrative_mismatch", [key], table, stated,
                f"“一、总体情况”中写的数字{n(stated)}与{cell_label(key)}的{n(table)}不符",
            )
