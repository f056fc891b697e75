# ruff: noqa: E501
"""Build xlsx_2021_tables: the three statistics tables of a 2021 report in one sheet, with merged cells.

Run once: `.venv/bin/python tests/golden/_make/make_xlsx.py`; the output is committed. Numbers are
stored as numbers (some as floats like 3.0, as Excel keeps them), not as text.
"""

from __future__ import annotations

import openpyxl
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
from openpyxl.worksheet.worksheet import Worksheet


def cells_2021() -> Cells:
    cells = Cells()
    cells.numbers("active.regulations", ("issued", "repealed", "in_force"), [0, 0, 0])
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [0, 0, 3])
    cells.numbers("active.licensing", ("decisions",), [57])
    cells.numbers("active.penalty", ("decisions",), [0])
    cells.numbers("active.coercion", ("decisions",), [0])
    cells.put("active.fees.amount", "12.5", 12.5)
    for key, _, _ in REQUEST_ROWS["2021"]:
        cells.requests(key, [0, 0, 0, 0, 0, 0, 0])
    cells.requests("received", [4, 0, 0, 0, 0, 0, 4])
    cells.requests("granted", [3, 0, 0, 0, 0, 0, 3])
    cells.requests("unavailable.not_held", [1, 0, 0, 0, 0, 0, 1])
    cells.requests("results_total", [4, 0, 0, 0, 0, 0, 4])
    cells.reviews([0] * 15)
    check_balance(cells, "2021")
    return cells


def number(raw: str) -> int | float:
    """The value as a spreadsheet stores it; a few counts as floats (3.0) the way Excel keeps numbers."""
    return float(raw) if "." in raw else int(raw)


def write(ws: Worksheet, row: int, column: int, value: object, bottom: int | None = None, right: int | None = None) -> None:
    ws.cell(row, column, value)
    if (bottom or row, right or column) != (row, column):
        ws.merge_cells(start_row=row, start_column=column, end_row=bottom or row, end_column=right or column)


def make() -> None:
    case = "xlsx_2021_tables"
    cells = cells_2021()
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "年报"
    write(ws, 1, 1, "清源县民政局2021年政府信息公开工作年度报告", right=15)
    write(ws, 2, 1, "二、主动公开政府信息情况", right=15)
    r = 3
    for caption, header, items in ACTIVE["2021"]:
        write(ws, r, 1, caption, right=4)
        ws.cell(r + 1, 1, header[0])
        if len(header) == 4:
            for c, text in enumerate(header[1:], start=2):
                ws.cell(r + 1, c, text)
        else:
            write(ws, r + 1, 2, header[1], right=4)
        r += 2
        for key, label, columns in items:
            ws.cell(r, 1, label)
            raws = [cells.raw[f"active.{key}.{column}"] for column in columns]
            if len(raws) == 1:
                write(ws, r, 2, number(raws[0]), right=4)
            else:
                for c, raw in enumerate(raws, start=2):
                    ws.cell(r, c, float(raw) if key == "normative_documents" else number(raw))
            r += 1
    r += 1
    write(ws, r, 1, "三、收到和处理政府信息公开申请情况", right=15)
    r += 1
    write(ws, r, 1, BALANCE_NOTE, bottom=r + 2, right=3)
    write(ws, r, 4, "申请人情况", right=10)
    write(ws, r + 1, 4, "自然人", bottom=r + 2)
    write(ws, r + 1, 5, "法人或其他组织", right=9)
    write(ws, r + 1, 10, "总计", bottom=r + 2)
    for c, text in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"), start=5):
        ws.cell(r + 2, c, text)
    r += 3
    spec = REQUEST_ROWS["2021"]
    results = [i for i, (_, group, _) in enumerate(spec) if group is not None]
    write(ws, r + results[0], 1, RESULTS_LABEL, bottom=r + results[-1])
    done: set[str] = set()
    for i, (key, group, label) in enumerate(spec):
        if group is None:
            write(ws, r + i, 1, label, right=3)
        elif group == "":
            write(ws, r + i, 2, label, right=3)
        else:
            if group not in done:
                rows = [j for j, (_, g, _) in enumerate(spec) if g == group]
                write(ws, r + rows[0], 2, group, bottom=r + rows[-1])
                done.add(group)
            ws.cell(r + i, 3, label)
        for c, column in enumerate(REQUEST_COLUMNS, start=4):
            ws.cell(r + i, c, number(cells.raw[f"requests.{key}.{column}"]))
    r += len(spec) + 1
    write(ws, r, 1, "四、政府信息公开行政复议、行政诉讼情况", right=15)
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    write(ws, r + 1, 1, "行政复议", right=5)
    write(ws, r + 1, 6, "行政诉讼", right=15)
    for c, text in enumerate(heads, start=1):
        write(ws, r + 2, c, text, bottom=r + 3)
    write(ws, r + 2, 6, "未经复议直接起诉", right=10)
    write(ws, r + 2, 11, "复议后起诉", right=15)
    for c, text in enumerate(heads * 2, start=6):
        ws.cell(r + 3, c, text)
    values = [cells.raw[f"reviews.{row}.{column}"] for row in REVIEW_ROWS for column in REVIEW_COLUMNS]
    for c, raw in enumerate(values, start=1):
        ws.cell(r + 4, c, number(raw))
    (GOLDEN / case).mkdir(exist_ok=True)
    workbook.save(GOLDEN / case / "input.xlsx")
    header = {"agency": "清源县民政局", "year": 2021, "template": "2021", "published_on": None,
              "kind": "department", "statistics_year": None, "tables": ["active", "requests", "reviews"],
              "sections": ["二", "三", "四"], "stated": {}}
    states = {"active.fees.amount": "number", "active.normative_documents.in_force": "number"}
    write_expected(case, header, cells, states, ("active.normative_documents.in_force", "active.fees.amount"))


if __name__ == "__main__":
    make()
