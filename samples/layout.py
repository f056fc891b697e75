"""The printed form of a sample report: headings, paragraphs and spanned tables, as real reports lay them out.

Every renderer (HTML, DOCX, PDF, text) prints these blocks, so all formats carry the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import opencc

from parsers.schema import OUTLINE, REVIEW_COLUMNS, REVIEW_ROWS, rows_of
from samples.model import SampleReport, format_value

BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
NO_REVIEWS = "本年度未发生政府信息公开行政复议、行政诉讼情况。"
_ACTIVE_GROUPS = {  # 第二十条 item → rows, per template
    "2021": (("（一）", ("regulations", "normative_documents")), ("（五）", ("licensing",)),
             ("（六）", ("penalty", "coercion")), ("（八）", ("fees",))),
    "2019": (("（一）", ("regulations", "normative_documents")), ("（五）", ("licensing", "other_services")),
             ("（六）", ("penalty", "coercion")), ("（八）", ("fees",)), ("（九）", ("procurement",))),
}
_OUTSIDE_RESULTS = ("received", "carried_over", "carried_forward")
_REQUEST_GROUPS = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
                   "other_handling": "（六）其他处理"}


@dataclass
class Span:
    """One printed cell with its spans; header cells are bold in HTML/PDF."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass
class TableSpec:
    rows: list[list[Span]]
    widths: list[float]  # relative column widths (PDF, DOCX)
    kind: str = ""


@dataclass
class Text:
    text: str
    role: str = "para"  # title, heading, para, signature


Block = Text | TableSpec


@dataclass
class Layout:
    title: str
    blocks: list[Block] = field(default_factory=list)


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def title_of(report: SampleReport) -> str:
    """泽州县教育局2023年政府信息公开工作年度报告."""
    return f"{report.agency}{report.year}年政府信息公开工作年度报告"


def cn_date(report: SampleReport) -> str:
    """The closing date line: 2024年1月24日."""
    day = report.published_on
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _narrative(report: SampleReport) -> list[str]:
    year = report.year
    text = [f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自{year}年1月1日起"
            f"至{year}年12月31日止。"]
    received = (f"全年共收到政府信息公开申请{report.stated_received}件，均已按时答复。"
                if report.stated_received is not None else "")
    text.append(f"{year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
                f"不公开为例外，进一步完善信息公开制度，规范依申请公开办理流程。{received}")
    return text


def _active_table(report: SampleReport) -> TableSpec:
    rows: list[list[Span]] = []
    template_rows = {row.key: row for row in rows_of("active", report.template)}
    for item, keys in _ACTIVE_GROUPS[report.template]:
        present = [key for key in keys if f"active.{key}" not in report.drop_rows]
        if not present:
            continue
        rows.append([Span(f"第二十条第{item}项", colspan=4, header=True)])
        columns = template_rows[present[0]].columns
        header = [Span("信息内容", header=True)] + [Span(c.label, header=True) for c in columns]
        header[-1].colspan = 4 - len(columns)
        rows.append(header)
        for key in present:
            cells = [Span(template_rows[key].label)] + [Span(report.raw(f"active.{key}.{c.key}")) for c in columns]
            cells[-1].colspan = 4 - len(columns)
            rows.append(cells)
            rows += [[Span(extra.label)] + [Span(format_value(v)) for v in extra.values]
                     for extra in report.extra_rows if extra.section == "active" and extra.after == key]
    return TableSpec(rows, [2.2, 1, 1, 1], "active")


def _request_label(report: SampleReport, key: str, label: str) -> list[Span]:
    """Label cells (3 columns) of one data row, without the spanning 三、本年度办理结果 of column 0."""
    text = label.replace("三（一）", "（一）").replace("三（二）", "（二）").replace("三（七）", "（七）")
    if key == "partially_granted":
        text = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    if "." in key:
        return [Span(text.split("）", 1)[1] if "）" in text else text)]
    return [Span(text.replace("三（六）", "（六）"), colspan=2)]


def _requests_table(report: SampleReport) -> TableSpec:
    header = [
        [Span(BALANCE_NOTE, rowspan=3, colspan=3, header=True), Span("申请人情况", colspan=7, header=True)],
        [Span("自然人", rowspan=2, header=True), Span("法人或其他组织", colspan=5, header=True),
         Span("总计", rowspan=2, header=True)],
        [Span(label, header=True) for label in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    body: list[tuple[str, list[Span]]] = []  # (row key, cells)
    for row in rows_of("requests", report.template):
        if f"requests.{row.key}" in report.drop_rows:
            continue
        numbers = [Span(report.raw(f"requests.{row.key}.{c.key}")) for c in row.columns]
        group = row.key.split(".")[0] if "." in row.key else ""
        subtotal = report.subtotal_rows and group in ("denied", "unavailable", "not_processed")
        if subtotal and not any(key.startswith(f"{group}.") for key, _ in body):
            cells = [Span(_subtotal(report, group, c.key)) for c in row.columns]
            body.append((f"{group}.subtotal", [Span(_REQUEST_GROUPS[group], colspan=2)] + cells))
        if group and not subtotal:
            siblings = [r for r in rows_of("requests", report.template) if r.key.startswith(f"{group}.")
                        and f"requests.{r.key}" not in report.drop_rows]
            if siblings and siblings[0].key == row.key:
                label = [Span(_REQUEST_GROUPS[group], rowspan=len(siblings))]
            else:
                label = []
        elif group:
            label = [Span("")]
        else:
            label = []
        body.append((row.key, label + _request_label(report, row.key, row.label) + numbers))
        outside = row.key in _OUTSIDE_RESULTS
        body += [("extra_top" if outside else "extra",
                  [Span(extra.label, colspan=2)] + [Span(format_value(v)) for v in extra.values])
                 for extra in report.extra_rows if extra.section == "requests" and extra.after == row.key]
    results = [i for i, (key, _) in enumerate(body) if key not in _OUTSIDE_RESULTS + ("extra_top",)]
    rows = header
    for index, (key, cells) in enumerate(body):
        if key in _OUTSIDE_RESULTS or key == "extra_top":
            cells[0].colspan = 3
        elif index == results[0]:
            cells = [Span("三、本年度办理结果", rowspan=len(results))] + cells
        rows.append(cells)
    return TableSpec(rows, [1.3, 1.3, 2.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8], "requests")


def _subtotal(report: SampleReport, group: str, column: str) -> str:
    total = sum(report.number(f"requests.{row.key}.{column}") or 0
                for row in rows_of("requests", report.template) if row.key.startswith(f"{group}."))
    return format_value(total)


def _reviews_table(report: SampleReport) -> TableSpec:
    kinds = [Span(c.label, rowspan=2, header=True) for c in REVIEW_COLUMNS]
    rows = [
        [Span("行政复议", colspan=5, header=True), Span("行政诉讼", colspan=10, header=True)],
        kinds + [Span("未经复议直接起诉", colspan=5, header=True), Span("复议后起诉", colspan=5, header=True)],
        [Span(c.label, header=True) for c in REVIEW_COLUMNS] * 2,
        [Span(report.raw(f"reviews.{row.key}.{c.key}")) for row in REVIEW_ROWS for c in REVIEW_COLUMNS],
    ]
    return TableSpec(rows, [1] * 15, "reviews")


def layout(report: SampleReport) -> Layout:
    """Headings, narrative and the three tables of a report, in reading order."""
    blocks: list[Block] = [Text(title_of(report), "title")]
    for section in report.sections:
        blocks.append(Text(OUTLINE[section], "heading"))
        if section == "一":
            blocks += [Text(text) for text in _narrative(report)]
        elif section == "二":
            blocks.append(_active_table(report))
        elif section == "三":
            blocks.append(_requests_table(report))
        elif section == "四":
            blocks.append(Text(NO_REVIEWS) if report.reviews_as_sentence else _reviews_table(report))
        elif section == "五":
            blocks.append(Text("政府信息公开的主动性和及时性仍需提高。下一步将加强业务培训，提高公开质量。"))
        else:
            blocks.append(Text("本机关本年度未收取政府信息公开信息处理费。"))
    blocks += [Text(report.agency, "signature"), Text(cn_date(report), "signature")]
    result = Layout(title_of(report), blocks)
    if report.traditional:
        _convert(result)
    return result


def _convert(result: Layout) -> None:
    convert = _to_traditional().convert
    result.title = convert(result.title)
    for block in result.blocks:
        if isinstance(block, Text):
            block.text = convert(block.text)
        else:
            for row in block.rows:
                for span in row:
                    span.text = convert(span.text)


def expand(table: TableSpec) -> list[list[tuple[str, bool, bool]]]:
    """The full grid: (text, origin, from_left) at every position; copies of a spanned cell hold its text."""
    grid: dict[tuple[int, int], tuple[str, bool, bool]] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for span in row:
            while (r, c) in grid:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    grid[(r + dr, c + dc)] = (span.text, dr == 0 and dc == 0, dc > 0)
            c += span.colspan
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), ("", True, False)) for c in range(width)] for r in range(height)]
