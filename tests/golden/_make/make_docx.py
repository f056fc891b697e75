# ruff: noqa: E501
"""Build the Word golden cases: docx_merged_2021 (real gridSpan/vMerge merges) and doc_legacy_2019.

Run once: `.venv/bin/python tests/golden/_make/make_docx.py`; the outputs are committed. The .doc is
the same kind of DOCX converted once by LibreOffice (soffice --convert-to doc).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from common import (
    ACTIVE,
    BALANCE_NOTE,
    GOLDEN,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULTS_LABEL,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    Cells,
    check_balance,
    write_expected,
)
from docx.document import Document as WordDocument
from docx.table import Table as WordTable


def merged(table: WordTable, top: int, left: int, bottom: int, right: int, text: str) -> None:
    """Merge a rectangle (python-docx writes w:gridSpan and w:vMerge) and put text in it."""
    cell = table.cell(top, left)
    if (bottom, right) != (top, left):
        cell = cell.merge(table.cell(bottom, right))
    cell.text = text


def active_table(word: WordDocument, template: str, cells: Cells) -> None:
    layout = ACTIVE[template]
    n_rows = sum(2 + len(items) for _, _, items in layout)
    table = word.add_table(rows=n_rows, cols=4)
    table.style = "Table Grid"
    r = 0
    for caption, header, items in layout:
        merged(table, r, 0, r, 3, caption)
        table.cell(r + 1, 0).text = header[0]
        if len(header) == 4:
            for c, text in enumerate(header[1:], start=1):
                table.cell(r + 1, c).text = text
        elif len(header) == 3:
            table.cell(r + 1, 1).text = header[1]
            merged(table, r + 1, 2, r + 1, 3, header[2])
        else:
            merged(table, r + 1, 1, r + 1, 3, header[1])
        r += 2
        for key, label, columns in items:
            table.cell(r, 0).text = label
            raws = [cells.raw[f"active.{key}.{column}"] for column in columns]
            if len(raws) == 1:
                merged(table, r, 1, r, 3, raws[0])
            elif len(raws) == 2:
                table.cell(r, 1).text = raws[0]
                merged(table, r, 2, r, 3, raws[1])
            else:
                for c, raw in enumerate(raws, start=1):
                    table.cell(r, c).text = raw
            r += 1


def requests_table(word: WordDocument, template: str, cells: Cells) -> None:
    spec = REQUEST_ROWS[template]
    table = word.add_table(rows=3 + len(spec), cols=10)
    table.style = "Table Grid"
    merged(table, 0, 0, 2, 2, BALANCE_NOTE)
    merged(table, 0, 3, 0, 9, "申请人情况")
    merged(table, 1, 3, 2, 3, "自然人")
    merged(table, 1, 4, 1, 8, "法人或其他组织")
    merged(table, 1, 9, 2, 9, "总计")
    for c, text in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"), start=4):
        table.cell(2, c).text = text
    first = 3
    results = [i for i, (_, group, _) in enumerate(spec) if group is not None]
    merged(table, first + results[0], 0, first + results[-1], 0, RESULTS_LABEL)
    done_groups: set[str] = set()
    for i, (key, group, label) in enumerate(spec):
        r = first + i
        if group is None:
            merged(table, r, 0, r, 2, label)
        elif group == "":
            merged(table, r, 1, r, 2, label)
        else:
            if group not in done_groups:
                rows = [j for j, (_, g, _) in enumerate(spec) if g == group]
                merged(table, first + rows[0], 1, first + rows[-1], 1, group)
                done_groups.add(group)
            table.cell(r, 2).text = label
        for c, column in enumerate(REQUEST_COLUMNS, start=3):
            table.cell(r, c).text = cells.raw[f"requests.{key}.{column}"]


def reviews_table(word: WordDocument, cells: Cells) -> None:
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    table = word.add_table(rows=4, cols=15)
    table.style = "Table Grid"
    merged(table, 0, 0, 0, 4, "行政复议")
    merged(table, 0, 5, 0, 14, "行政诉讼")
    for c, text in enumerate(heads):
        merged(table, 1, c, 2, c, text)
    merged(table, 1, 5, 1, 9, "未经复议直接起诉")
    merged(table, 1, 10, 1, 14, "复议后起诉")
    for c, text in enumerate(heads * 2, start=5):
        table.cell(2, c).text = text
    values = [cells.raw[f"reviews.{row}.{column}"] for row in REVIEW_ROWS for column in REVIEW_COLUMNS]
    for c, raw in enumerate(values):
        table.cell(3, c).text = raw


def build(title: str, template: str, cells: Cells, overview: list[str], closing: tuple[str, str]) -> WordDocument:
    word = docx.Document()
    word.add_paragraph(title).alignment = 1
    for text in overview[:1]:
        word.add_paragraph(text)
    word.add_paragraph("一、总体情况")
    for text in overview[1:]:
        word.add_paragraph(text)
    word.add_paragraph("二、主动公开政府信息情况")
    active_table(word, template, cells)
    word.add_paragraph("三、收到和处理政府信息公开申请情况")
    requests_table(word, template, cells)
    word.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    reviews_table(word, cells)
    word.add_paragraph("五、政府信息公开工作存在的主要问题及改进情况")
    word.add_paragraph("一是公开内容的深度和广度有待加强；二是政策解读形式较为单一。下一步将加强业务培训，丰富解读形式。")
    word.add_paragraph("六、其他需要报告的事项")
    word.add_paragraph("本年度未收取信息处理费。")
    for line in closing:
        word.add_paragraph(line).alignment = 2
    return word


# ---------------------------------------------------------------------------------------------------------------
# c. 清源县人力资源和社会保障局 2023, DOCX with merged cells, a blank 总计

def merged_cells() -> Cells:
    cells = Cells()
    cells.numbers("active.regulations", ("issued", "repealed", "in_force"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [1, 0, 6])
    cells.numbers("active.licensing", ("decisions",), [524])
    cells.numbers("active.penalty", ("decisions",), [12])
    cells.numbers("active.coercion", ("decisions",), [0])
    cells.put("active.fees.amount", "71万元", 71)
    zero = [0, 0, 0, 0, 0, 0, 0]
    for key, _, _ in REQUEST_ROWS["2021"]:
        cells.requests(key, zero)
    cells.requests("received", [9, 0, 0, 0, 0, 0, 9])
    cells.requests("granted", [5, 0, 0, 0, 0, 0, 5])
    cells.requests("partially_granted", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("unavailable.not_held", [2, 0, 0, 0, 0, 0, 2])
    cells.requests("other_handling.other", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("results_total", [9, 0, 0, 0, 0, 0, 9])
    cells.reviews([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    check_balance(cells, "2021")
    cells.put("requests.granted.total", "", None)  # left empty in the document (上海2019 does this)
    return cells


def make_merged() -> None:
    case = "docx_merged_2021"
    cells = merged_cells()
    word = build(
        "清源县人力资源和社会保障局2023年政府信息公开工作年度报告", "2021", cells,
        ["本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2023年1月1日起至2023年12月31日止。",
         "2023年，我局主动公开政府信息412条。全年共收到政府信息公开申请9件，均已按期答复。"],
        ("清源县人力资源和社会保障局", "2024年1月22日"),
    )
    (GOLDEN / case).mkdir(exist_ok=True)
    word.save(GOLDEN / case / "input.docx")
    header = {"agency": "清源县人力资源和社会保障局", "year": 2023, "template": "2021", "published_on": "2024-01-22",
              "kind": "department", "statistics_year": 2023, "tables": ["active", "requests", "reviews"],
              "sections": ["一", "二", "三", "四", "五", "六"], "stated": {"requests.received.total": 9}}
    states = {"requests.granted.total": "blank", "requests.granted.natural_person": "number",
              "active.fees.amount": "number"}
    write_expected(case, header, cells, states, ("active.fees.amount", "requests.granted.total"))


# ---------------------------------------------------------------------------------------------------------------
# e. 清源县住房和城乡建设局 2019, template 2019, as a legacy .doc

def legacy_cells() -> Cells:
    cells = Cells()
    cells.numbers("active.regulations", ("new_made", "new_published", "total_published"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("new_made", "new_published", "total_published"), [3, 3, 21])
    cells.numbers("active.licensing", ("prev_year_items", "decisions"), [45, 1380])
    cells.put("active.licensing.change", "增16", 16)
    cells.numbers("active.other_services", ("prev_year_items", "decisions"), [12, 96])
    cells.put("active.other_services.change", "减3", -3)
    cells.numbers("active.penalty", ("prev_year_items", "decisions"), [38, 57])
    cells.put("active.penalty.change", "+2", 2)
    cells.numbers("active.coercion", ("prev_year_items", "change", "decisions"), [6, 0, 4])
    cells.numbers("active.fees", ("prev_year_items",), [5])
    cells.put("active.fees.change", "-1", -1)
    cells.numbers("active.procurement", ("items",), [14])
    cells.put("active.procurement.amount", "251000元", 25.1)
    zero = [0, 0, 0, 0, 0, 0, 0]
    for key, _, _ in REQUEST_ROWS["2019"]:
        cells.requests(key, zero)
    cells.requests("received", [15, 2, 0, 0, 1, 0, 18])
    cells.requests("carried_over", [2, 0, 0, 0, 0, 0, 2])
    cells.requests("granted", [8, 1, 0, 0, 1, 0, 10])
    cells.requests("partially_granted", [2, 0, 0, 0, 0, 0, 2])
    cells.requests("denied.third_party", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("unavailable.not_held", [3, 1, 0, 0, 0, 0, 4])
    cells.requests("unavailable.needs_creation", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("not_processed.duplicate", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("results_total", [16, 2, 0, 0, 1, 0, 19])
    cells.requests("carried_forward", [1, 0, 0, 0, 0, 0, 1])
    cells.reviews([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    check_balance(cells, "2019")
    return cells


def make_legacy() -> None:
    case = "doc_legacy_2019"
    cells = legacy_cells()
    word = build(
        "清源县住房和城乡建设局2019年政府信息公开工作年度报告", "2019", cells,
        ["本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。",
         "2019年，我局共主动公开政府信息236条。全年共收到政府信息公开申请18件，上年结转2件。"],
        ("清源县住房和城乡建设局", "2020年1月20日"),
    )
    soffice = shutil.which("soffice")
    assert soffice, "building the .doc needs LibreOffice (soffice)"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.docx"
        word.save(source)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "doc",
             "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )
        (GOLDEN / case).mkdir(exist_ok=True)
        shutil.copyfile(Path(tmp) / "input.doc", GOLDEN / case / "input.doc")
    header = {"agency": "清源县住房和城乡建设局", "year": 2019, "template": "2019", "published_on": "2020-01-20",
              "kind": "department", "statistics_year": 2019, "tables": ["active", "requests", "reviews"],
              "sections": ["一", "二", "三", "四", "五", "六"], "stated": {"requests.received.total": 18}}
    states = {"active.licensing.change": "number", "active.procurement.amount": "number"}
    raw_keys = ("active.licensing.change", "active.other_services.change", "active.penalty.change",
                "active.fees.change", "active.procurement.amount")
    write_expected(case, header, cells, states, raw_keys)


if __name__ == "__main__":
    make_merged()
    make_legacy()
