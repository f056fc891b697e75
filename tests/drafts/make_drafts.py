# ruff: noqa: E501
"""Build the drafts `nianbao lint` is tested on, and the sample draft it ships (samples/drafts/sample_draft.docx).

Written the way an office writes its draft: a Word document (python-docx, the template's merged header cells,
as tests/golden/_make/make_docx.py lays them out), its PDF export by LibreOffice, or text pasted from it with `|`
between cells. Every number is chosen by hand below, with the problem planted in it; the tests' expected
messages are written from these choices. Run once: `.venv/bin/python tests/drafts/make_drafts.py`; the outputs are committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "golden" / "_make"))

from common import (  # noqa: E402
    ACTIVE,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    Cells,
)
from docx.document import Document as WordDocument  # noqa: E402
from make_docx import build, legacy_cells  # noqa: E402

ZERO = [0, 0, 0, 0, 0, 0, 0]


def put_row(cells: Cells, key: str, numbers: list[int], total: int | None = None) -> None:
    """Seven cells of a table 三 row; `total` when the printed 总计 is not the sum (a planted error)."""
    cells.numbers(f"requests.{key}", REQUEST_COLUMNS, [*numbers, sum(numbers) if total is None else total])


def put_reviews(cells: Cells, rows: list[list[int]], totals: tuple[int | None, int | None, int | None] = (None,) * 3) -> None:
    """Section 四: per row 结果维持, 结果纠正, 其他结果, 尚未审结, then 总计 (the sum unless given)."""
    for row, parts, total in zip(REVIEW_ROWS, rows, totals, strict=True):
        cells.numbers(f"reviews.{row}", REVIEW_COLUMNS, [*parts, sum(parts) if total is None else total])


def base_cells(template: str = "2021") -> Cells:
    """A consistent 2024 report: 自然人 11 new + 1 carried over = 6 granted + 2 partly + 2 not held + 1 duplicate
    + 1 carried forward; 商业企业 1 new = 1 not held. 行政复议 1 upheld + 1 pending; 1 lawsuit upheld."""
    cells = Cells()
    for key, _, columns in (item for _, _, items in ACTIVE[template] for item in items):
        cells.numbers(f"active.{key}", columns, [0] * len(columns))
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [1, 0, 6])
    cells.numbers("active.licensing", ("decisions",), [215])
    cells.numbers("active.penalty", ("decisions",), [3])
    for key, _, _ in REQUEST_ROWS[template]:
        put_row(cells, key, ZERO[:6])
    put_row(cells, "received", [11, 1, 0, 0, 0, 0])
    put_row(cells, "carried_over", [1, 0, 0, 0, 0, 0])
    put_row(cells, "granted", [6, 0, 0, 0, 0, 0])
    put_row(cells, "partially_granted", [2, 0, 0, 0, 0, 0])
    put_row(cells, "unavailable.not_held", [2, 1, 0, 0, 0, 0])
    put_row(cells, "not_processed.duplicate", [1, 0, 0, 0, 0, 0])
    put_row(cells, "results_total", [11, 1, 0, 0, 0, 0])
    put_row(cells, "carried_forward", [1, 0, 0, 0, 0, 0])
    put_reviews(cells, [[1, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]])
    return cells


def overview(agency: str, year: int, received: int, period_year: int | None = None) -> list[str]:
    period = period_year or year
    return [f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自{period}年1月1日起至{period}年12月31日止。",
            f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息186条。"
            f"全年共收到政府信息公开申请{received}件，均已按期答复。"]


def word_draft(agency: str, year: int, cells: Cells, received: int, template: str = "2021") -> WordDocument:
    return build(f"{agency}{year}年政府信息公开工作年度报告", template, cells, overview(agency, year, received),
                 (agency, f"{year + 1}年1月20日"))


def remove_row(word: WordDocument, first_cell: str) -> None:
    """Delete the table row whose first cell reads `first_cell` (the office deleted it)."""
    for table in word.tables:
        for row in table.rows:
            if row.cells[0].text == first_cell:
                row._tr.getparent().remove(row._tr)
                return
    raise ValueError(first_cell)


def remove_paragraphs(word: WordDocument, *texts: str) -> None:
    for paragraph in list(word.paragraphs):
        if paragraph.text.startswith(texts):
            paragraph._p.getparent().remove(paragraph._p)


def save(word: WordDocument, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    word.save(path)


# ---------------------------------------------------------------------------------------------------------------
# Word drafts

def clean() -> None:
    """清源县民政局 2024: every sum holds, every section and table is there."""
    save(word_draft("清源县民政局", 2024, base_cells(), 12), HERE / "clean_2024.docx")


def sample() -> None:
    """The sample draft of the README: 清源县人民政府 2024 with two planted problems:
    行政诉讼·未经复议直接起诉 总计 44 where 37 + 3 + 0 + 0 = 40, and 一、总体情况 says 13 applications where table
    三 has 12."""
    cells = base_cells()
    put_reviews(cells, [[5, 1, 0, 0], [37, 3, 0, 0], [2, 0, 0, 1]], totals=(None, 44, None))
    word = word_draft("清源县人民政府", 2024, cells, 13)
    save(word, ROOT / "samples" / "drafts" / "sample_draft.docx")


def table_sums() -> None:
    """清源县教育局 2024, table 三 and 四 sums broken:
    三（一）予以公开 总计 7 where 自然人 6 (row_total, and 三（七）总计 of the 总计 column: 7+2+3+1 = 13 ≠ 12);
    四、结转下年度继续办理 商业企业 1 (总计 2) while nothing of 商业企业 is left (balance of 商业企业 and of 总计);
    行政复议 总计 3 where 1 + 0 + 0 + 1 = 2 (review_total)."""
    cells = base_cells()
    put_row(cells, "granted", [6, 0, 0, 0, 0, 0], total=7)
    put_row(cells, "carried_forward", [1, 1, 0, 0, 0, 0])
    put_reviews(cells, [[1, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]], totals=(3, None, None))
    save(word_draft("清源县教育局", 2024, cells, 12), HERE / "table_sums_2024.docx")


def structure() -> None:
    """清源县文化和旅游局 2024: no 五、 section, no 行政强制 row in table 二, and a sentence instead of table 四."""
    word = word_draft("清源县文化和旅游局", 2024, base_cells(), 12)
    remove_row(word, "行政强制")
    remove_paragraphs(word, "五、", "一是公开内容")
    reviews = word.tables[-1]
    reviews._tbl.getparent().remove(reviews._tbl)
    sentence = next(p for p in word.paragraphs if p.text.startswith("六、"))
    sentence.insert_paragraph_before("本年度本机关未发生政府信息公开行政复议、行政诉讼案件。")
    save(word, HERE / "structure_2024.docx")


def cells() -> None:
    """清源县农业农村局 2024, cells badly filled: 二、上年结转 商业企业 “若干”, 行政处罚 “-2”, 行政强制 left empty,
    行政事业性收费 3500000 in the 万元 column, 行政许可 2150000 (215 with four zeros too many)."""
    cells = base_cells()
    cells.put("requests.carried_over.commercial", "若干", None)
    cells.put("active.penalty.decisions", "-2", -2)
    cells.put("active.coercion.decisions", "", None)
    cells.put("active.fees.amount", "3500000", 3500000)
    cells.put("active.licensing.decisions", "2150000", 2150000)
    save(word_draft("清源县农业农村局", 2024, cells, 12), HERE / "cells_2024.docx")


def exported_pdf() -> None:
    """table_sums_2024 as the office publishes it: exported to PDF by LibreOffice (the same problems)."""
    soffice = shutil.which("soffice")
    assert soffice, "the PDF draft is exported by LibreOffice (soffice)"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(HERE / "table_sums_2024.docx")], check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / "table_sums_2024.pdf", HERE / "table_sums_2024.pdf")


def outdated() -> None:
    """清源县水利局 2024 filled on the 2019 template (its cells are consistent)."""
    word = word_draft("清源县水利局", 2024, legacy_cells(), 18, template="2019")
    save(word, HERE / "outdated_template_2024.docx")


def no_year() -> None:
    """清源县统计局, a draft whose title and text name no year (the year is added when it is published), filled on
    the 2019 template."""
    body = "本局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息52条。全年共收到政府信息公开申请18件，上年结转2件。"
    word = build("清源县统计局政府信息公开工作年度报告", "2019", legacy_cells(),
                 ["本报告根据《中华人民共和国政府信息公开条例》编制。", body], ("清源县统计局", ""))
    save(word, HERE / "no_year.docx")


def previous_year() -> None:
    """清源县民政局 2023, the published report the clean 2024 draft follows: it carried 2 自然人 applications
    forward (the 2024 draft carries over 1) and had 4 行政规范性文件 in force (2024: 4 + 1 issued − 0 repealed
    = 5, the draft says 6)."""
    cells = base_cells()
    cells.numbers("active.normative_documents", ("issued", "repealed", "in_force"), [2, 0, 4])
    put_row(cells, "received", [10, 1, 0, 0, 0, 0])
    put_row(cells, "carried_over", [1, 0, 0, 0, 0, 0])
    put_row(cells, "granted", [5, 0, 0, 0, 0, 0])
    put_row(cells, "partially_granted", [1, 0, 0, 0, 0, 0])
    put_row(cells, "unavailable.not_held", [2, 1, 0, 0, 0, 0])
    put_row(cells, "not_processed.duplicate", [1, 0, 0, 0, 0, 0])
    put_row(cells, "results_total", [9, 1, 0, 0, 0, 0])
    put_row(cells, "carried_forward", [2, 0, 0, 0, 0, 0])
    save(word_draft("清源县民政局", 2023, cells, 11), HERE / "previous_2023.docx")


# ---------------------------------------------------------------------------------------------------------------
# Text pasted from Word: one line per paragraph, table rows as | cell | cell |, merged cells left empty

def pipe(*cells: object) -> str:
    return "| " + " | ".join("" if cell is None else str(cell) for cell in cells) + " |"


def text_tables(cells: Cells) -> list[str]:
    lines = ["二、主动公开政府信息情况"]
    for caption, header, items in ACTIVE["2021"]:
        lines.append(pipe(caption, "", "", ""))
        lines.append(pipe(*header, *[""] * (4 - len(header))))
        for key, label, columns in items:
            raws = [cells.raw[f"active.{key}.{column}"] for column in columns]
            lines.append(pipe(label, *raws, *[""] * (3 - len(raws))))
    lines.append("三、收到和处理政府信息公开申请情况")
    lines.append(pipe("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""))
    lines.append(pipe("", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"))
    lines.append(pipe("", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""))
    seen_groups: set[str] = set()
    for key, group, label in REQUEST_ROWS["2021"]:
        raws = [cells.raw[f"requests.{key}.{column}"] for column in REQUEST_COLUMNS]
        if group is None:
            lines.append(pipe(label, "", "", *raws))
        elif group == "":
            first = "三、本年度办理结果" if key == "granted" else ""
            lines.append(pipe(first, label, "", *raws))
        else:
            shown = group if group not in seen_groups else ""
            seen_groups.add(group)
            lines.append(pipe("", shown, label, *raws))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    lines.append(pipe("行政复议", "", "", "", "", "行政诉讼", *[""] * 9))
    lines.append(pipe(*heads, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""))
    lines.append(pipe("", "", "", "", "", *heads, *heads))
    lines.append(pipe(*(cells.raw[f"reviews.{row}.{column}"] for row in REVIEW_ROWS for column in REVIEW_COLUMNS)))
    return lines


def text_draft(agency: str, year: int, cells: Cells, received: int, period_year: int | None = None) -> str:
    intro, body = overview(agency, year, received, period_year)
    lines = [f"{agency}{year}年政府信息公开工作年度报告", intro, "一、总体情况", body, *text_tables(cells),
             "五、存在的主要问题及改进情况", "政策解读形式较为单一。下一步将丰富解读形式，加强业务培训。",
             "六、其他需要报告的事项", "本年度未收取信息处理费。", agency, f"{year + 1}年1月18日"]
    return "\n".join(lines) + "\n"


def years_text() -> None:
    """清源县卫生健康委员会 2024, pasted text: the statistics period left at 2023 (last year's sentence), and
    一、总体情况 says 10 applications where table 三 has 12."""
    text = text_draft("清源县卫生健康委员会", 2024, base_cells(), 10, period_year=2023)
    (HERE / "year_narrative_2024.txt").write_text(text, encoding="utf-8")


def unknown_text() -> None:
    """清源县交通运输局 2024, pasted text of a home-made table layout: the column heads of table 二 and the row
    三（六）1 reworded, so the tables match neither national template."""
    text = text_draft("清源县交通运输局", 2024, base_cells(), 12)
    for printed, reworded in (("本年制发件数", "新制定件数"), ("本年废止件数", "废止件数"), ("现行有效件数", "有效件数"),
                              ("本年收费金额（单位：万元）", "收费金额（万元）"), ("逾期不补正", "逾期未补正")):
        text = text.replace(printed, reworded)
    (HERE / "unknown_template_2024.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    clean()
    sample()
    table_sums()
    exported_pdf()
    structure()
    outdated()
    no_year()
    previous_year()
    cells()
    years_text()
    unknown_text()
