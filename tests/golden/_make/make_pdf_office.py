# ruff: noqa: E501
"""Build two PDF golden cases the way an office makes them: a Word document (python-docx) with the template's
tables, exported by LibreOffice (`soffice --headless --convert-to pdf`).

- pdf_office_vertical_labels_2021: table 三's merged labels (三、本年度办理结果, （三）不予公开 …) in narrow
  columns, so they print one or two characters per line; table 四 with its two-row merged header.
- pdf_office_misspelled_2021: the same report with row labels typed wrong, as real reports print them
  (`2.其他法律行政止公开`, characters missing; `5.属于三类内部事物信息`, a wrong character).
- pdf_office_borderless_2021: the misspelled report with tables in Word's borderless "Normal Table" style:
  no ruling lines, so rows are rebuilt from character boxes; long labels print close to their first number.

Run once: `.venv/bin/python tests/golden/_make/make_pdf_office.py` (needs soffice); the PDFs are committed.
The numbers in expected.json are typed by hand from the tables below.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from common import (
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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from make_docx import active_table, merged

TITLE = "清源县卫生健康局2023年政府信息公开工作年度报告"
MISSPELLED = {
    "denied.prohibited_by_law": "2.其他法律行政止公开",
    "denied.internal_affairs": "5.属于三类内部事物信息",
}


def cells_of_report() -> Cells:
    cells = Cells()
    cells.numbers("active.regulations", ("issued", "repealed", "in_force"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [3, 1, 14])
    cells.numbers("active.licensing", ("decisions",), [1873])
    cells.numbers("active.penalty", ("decisions",), [46])
    cells.numbers("active.coercion", ("decisions",), [2])
    cells.put("active.fees.amount", "0", 0)
    for key, _, _ in REQUEST_ROWS["2021"]:
        cells.requests(key, [0] * 7)
    cells.requests("received", [21, 3, 1, 0, 2, 0, 27])
    cells.requests("carried_over", [2, 0, 0, 0, 0, 0, 2])
    cells.requests("granted", [9, 1, 1, 0, 0, 0, 11])
    cells.requests("partially_granted", [3, 0, 0, 0, 1, 0, 4])
    cells.requests("denied.prohibited_by_law", [2, 1, 0, 0, 0, 0, 3])
    cells.requests("denied.process_info", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("denied.internal_affairs", [0, 0, 0, 0, 0, 0, 0])
    cells.requests("unavailable.not_held", [4, 1, 0, 0, 0, 0, 5])
    cells.requests("unavailable.unclear", [1, 0, 0, 0, 1, 0, 2])
    cells.requests("not_processed.duplicate", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("results_total", [21, 3, 1, 0, 2, 0, 27])
    cells.requests("carried_forward", [2, 0, 0, 0, 0, 0, 2])
    cells.reviews([2, 1, 0, 1, 4, 1, 0, 0, 1, 2, 0, 0, 1, 0, 1])
    check_balance(cells, "2021")
    return cells


def _font(document: docx.document.Document) -> None:
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def _widths(table: docx.table.Table, widths_cm: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=False):
        column.set(qn("w:w"), str(int(width * 567)))  # twentieths of a point per cm
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def requests_table(word: docx.document.Document, cells: Cells, labels: dict[str, str]) -> None:
    spec = REQUEST_ROWS["2021"]
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
    done: set[str] = set()
    for i, (key, group, label) in enumerate(spec):
        r = first + i
        label = labels.get(key, label)
        if group is None:
            merged(table, r, 0, r, 2, label)
        elif group == "":
            merged(table, r, 1, r, 2, label)
        else:
            if group not in done:
                rows = [j for j, (_, g, _) in enumerate(spec) if g == group]
                merged(table, first + rows[0], 1, first + rows[-1], 1, group)
                done.add(group)
            table.cell(r, 2).text = label
        for c, column in enumerate(REQUEST_COLUMNS, start=3):
            table.cell(r, c).text = cells.raw[f"requests.{key}.{column}"]
    # The merged labels of columns 0 and 1 are narrow: Word and LibreOffice print them a character or two a line.
    _widths(table, [0.9, 1.1, 5.2, 1.1, 1.1, 1.1, 1.3, 1.3, 1.0, 1.0])


def reviews_table(word: docx.document.Document, cells: Cells) -> None:
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
    _widths(table, [1.05] * 15)


def build(cells: Cells, labels: dict[str, str]) -> docx.document.Document:
    word = docx.Document()
    _font(word)
    word.add_paragraph(TITLE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph("本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自2023年1月1日起至2023年12月31日止。")
    word.add_paragraph("一、总体情况")
    word.add_paragraph("2023年，我局共收到政府信息公开申请27件，上年结转2件，已全部按期办结25件。")
    word.add_paragraph("二、主动公开政府信息情况")
    active_table(word, "2021", cells)
    word.add_paragraph("三、收到和处理政府信息公开申请情况")
    requests_table(word, cells, labels)
    word.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    reviews_table(word, cells)
    word.add_paragraph("五、政府信息公开工作存在的主要问题及改进情况")
    word.add_paragraph("一是依申请公开答复的规范性有待提高；二是基层医疗机构信息公开不够及时。下一步将加强培训和督促检查。")
    word.add_paragraph("六、其他需要报告的事项")
    word.add_paragraph("本年度未收取信息处理费。")
    for line in ("清源县卫生健康局", "2024年1月25日"):
        word.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return word


def export(case: str, word: docx.document.Document) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "building the PDF needs LibreOffice (soffice)"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.docx"
        word.save(source)
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )
        (GOLDEN / case).mkdir(exist_ok=True)
        shutil.copyfile(Path(tmp) / "input.pdf", GOLDEN / case / "input.pdf")


def main() -> None:
    header = {"agency": "清源县卫生健康局", "year": 2023, "template": "2021", "published_on": "2024-01-25",
              "kind": "department", "statistics_year": 2023, "tables": ["active", "requests", "reviews"],
              "sections": ["一", "二", "三", "四", "五", "六"], "stated": {"requests.received.total": 27},
              "parse_status": "parsed"}
    cells = cells_of_report()
    export("pdf_office_vertical_labels_2021", build(cells, {}))
    write_expected("pdf_office_vertical_labels_2021", header, cells, {}, ())
    export("pdf_office_misspelled_2021", build(cells, MISSPELLED))
    misspelled = dict(header, warnings_contain=[
        "行“其他法律行政止公开”按“其他法律行政法规禁止公开”读取",
        "行“属于三类内部事物信息”按“属于三类内部事务信息”读取",
        "读取存疑（reading_doubt）",
    ])
    write_expected("pdf_office_misspelled_2021", misspelled, cells, {}, ())
    word = build(cells, MISSPELLED)
    for table in word.tables:
        table.style = word.styles["Normal Table"]
    export("pdf_office_borderless_2021", word)
    write_expected("pdf_office_borderless_2021", misspelled, cells, {}, ())


if __name__ == "__main__":
    main()
