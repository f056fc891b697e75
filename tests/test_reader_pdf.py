"""The PDF reader on real PDFs rendered by samples (reportlab, embedded CJK font) and on broken ones."""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from parsers import Limits, parse_bytes, read_document
from parsers.errors import CorruptDocument, NotAReport, ParseError, TooLarge
from parsers.grid import Document, Paragraph, Table
from parsers.readers.pdf import read_pdf
from samples.generate import random_report
from samples.model import SampleReport
from samples.render import render
from samples.render_pdf import cjk_font

APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total")
RECEIVED = (12, 3, 0, 1, 2, 0, 18)
UNPAID_FEE = (1, 0, 0, 0, 2, 0, 3)
REVIEWS = (1, 0, 2, 0, 3, 0, 1, 0, 1, 2, 0, 0, 0, 1, 1)


def _report() -> SampleReport:
    report = random_report(random.Random(3), "泽州县交通运输局", 2023, "2021")
    for column, received, unpaid in zip(APPLICANTS, RECEIVED, UNPAID_FEE, strict=True):
        report.values[f"requests.received.{column}"] = received
        report.values[f"requests.other_handling.unpaid_fee.{column}"] = unpaid
    keys = [f"reviews.{row}.{column}" for row in ("review", "litigation_direct", "litigation_after_review")
            for column in ("upheld", "corrected", "other", "pending", "total")]
    report.values.update(zip(keys, REVIEWS, strict=True))
    report.values["active.fees.amount"] = 12.5
    return report


@pytest.fixture(scope="module")
def ruled_pdf() -> bytes:
    """泽州县交通运输局 2023, template 2021, tables with drawn lines."""
    return render(_report(), "pdf")


@pytest.fixture(scope="module")
def ruled_document(ruled_pdf: bytes) -> Document:
    return read_pdf(ruled_pdf, "report.pdf", Limits())


def _rows(document: Document) -> list[list[str]]:
    """Every table row as its origin cells' texts with line breaks removed."""
    return [[cell.text.replace("\n", "") for cell in row if cell.origin]
            for block in document.blocks if isinstance(block, Table) for row in block.rows]


def _row_starting(document: Document, label: str) -> list[str]:
    found = [row for row in _rows(document) if any(cell.startswith(label) for cell in row)]
    assert len(found) == 1, f"{label}: {len(found)} rows"
    return found[0]


def _image_pdf(pages: int) -> bytes:
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    scan = Image.new("L", (200, 280), color=230)
    for _ in range(pages):
        pdf.drawImage(ImageReader(scan), 50, 100, width=480, height=650)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_read_pdf_received_row_keeps_its_seven_numbers_in_order(ruled_document: Document) -> None:
    row = _row_starting(ruled_document, "一、本年新收政府信息公开申请数量")
    assert row[1:] == [str(n) for n in RECEIVED]


def test_read_pdf_wrapped_label_stays_on_its_numbers_row(ruled_document: Document) -> None:
    cells = [cell.text for block in ruled_document.blocks if isinstance(block, Table) for row in block.rows
             for cell in row if cell.text.startswith("2.申请人逾期")]
    assert cells and "\n" in cells[0], "the label must wrap inside its cell for this test to mean something"
    row = _row_starting(ruled_document, "2.申请人逾期未按收费通知要求缴纳费用")
    assert row[0] == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert row[1:] == [str(n) for n in UNPAID_FEE]


def test_read_pdf_reviews_row_has_fifteen_numbers(ruled_document: Document) -> None:
    assert [str(n) for n in REVIEWS] in _rows(ruled_document)


def test_read_pdf_spanned_cells_repeat_with_origin_flags(ruled_document: Document) -> None:
    tables = [block for block in ruled_document.blocks if isinstance(block, Table)]
    fees = next(row for table in tables for row in table.rows if row[0].text == "行政事业性收费")
    assert [cell.text for cell in fees] == ["行政事业性收费", "12.5", "12.5", "12.5"]
    assert [(cell.origin, cell.from_left) for cell in fees] == [(True, False), (True, False), (False, True),
                                                                (False, True)]
    assert all(len(row) == len(table.rows[0]) for table in tables for row in table.rows)


def test_read_pdf_headings_and_paragraphs_in_reading_order(ruled_document: Document) -> None:
    texts = [block.text for block in ruled_document.blocks if isinstance(block, Paragraph)]
    assert texts[0] == "泽州县交通运输局2023年政府信息公开工作年度报告"
    headings = [text for text in texts if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert texts[-2:] == ["泽州县交通运输局", _report().published_on.strftime("%Y年%-m月%-d日")]
    # a narrative paragraph wrapped over lines reads as one
    assert any(text.startswith("2023年，泽州县交通运输局") and text.endswith("均已按时答复。") for text in texts)


def test_read_pdf_borderless_table_joins_wrapped_label_to_its_numbers() -> None:
    document = read_pdf(render(_report(), "pdf", ruled=False), "borderless.pdf", Limits())
    row = next(row for row in _rows(document) if any("申请人逾期未按收费通知" in cell for cell in row))
    assert row[-8:] == ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] + [
        str(n) for n in UNPAID_FEE]
    assert _row_starting(document, "一、本年新收政府信息公开申请数量")[1:] == [str(n) for n in RECEIVED]


def _drawn_grid_pdf(style: str) -> bytes:
    """A 3 × 3 table whose first row spans all columns, ruled as Word draws it (thin filled rectangles in one
    path) or as cells stroked one rectangle each."""
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    xs, ys = (100, 250, 320, 390), (700, 680, 660, 640)
    if style == "filled":
        path = pdf.beginPath()
        for y in ys:
            path.rect(xs[0], y - 0.3, xs[-1] - xs[0], 0.6)
        for x in xs:
            top = ys[0] if x in (xs[0], xs[-1]) else ys[1]
            path.rect(x - 0.3, ys[-1], 0.6, top - ys[-1])
        pdf.drawPath(path, stroke=0, fill=1)
    elif style == "open":  # no outer frame: horizontal rules and the two inner column lines only
        for y in ys:
            pdf.line(xs[0], y, xs[-1], y)
        for x in xs[1:-1]:
            pdf.line(x, ys[1], x, ys[-1])
    else:
        pdf.rect(xs[0], ys[1], xs[-1] - xs[0], ys[0] - ys[1], stroke=1, fill=0)
        for top, bottom in zip(ys[1:], ys[2:], strict=False):
            for left, right in zip(xs, xs[1:], strict=False):
                pdf.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
    pdf.setFont(cjk_font(), 10)
    for y, texts in ((686, ("第二十条第（一）项",)), (666, ("规章", "1", "2")), (646, ("行政规范性文件", "3", "4"))):
        for x, text in zip(xs, texts, strict=False):
            pdf.drawString(x + 4, y, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize("style", ["filled", "stroked", "open"])
def test_read_pdf_table_from_drawn_borders(style: str) -> None:
    tables = [b for b in read_pdf(_drawn_grid_pdf(style), "grid.pdf", Limits()).blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[cell.text for cell in row] for row in tables[0].rows] == [
        ["第二十条第（一）项"] * 3, ["规章", "1", "2"], ["行政规范性文件", "3", "4"]]
    assert [cell.from_left for cell in tables[0].rows[0]] == [False, True, True]


def test_read_pdf_box_around_text_is_not_a_table() -> None:
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.rect(60, 600, 470, 180, stroke=1, fill=0)
    pdf.setFont(cjk_font(), 12)
    pdf.drawString(72, 760, "平顺县人民政府2023年政府信息公开工作年度报告")
    pdf.drawString(72, 740, "一、总体情况")
    pdf.showPage()
    pdf.save()
    document = read_pdf(out.getvalue(), "boxed.pdf", Limits())
    assert all(isinstance(block, Paragraph) for block in document.blocks)
    text = "".join(block.text for block in document.blocks)
    assert text == "平顺县人民政府2023年政府信息公开工作年度报告一、总体情况"


def test_read_pdf_drops_running_headers_and_page_numbers() -> None:
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for number, body in enumerate(("一、总体情况", "二、主动公开政府信息情况"), start=1):
        pdf.setFont(cjk_font(), 9)
        pdf.drawString(72, 810, f"2024/1/2{number} 10:3{number}")  # a browser's print header
        pdf.drawString(300, 810, "平顺县教育局2023年政府信息公开工作年度报告")
        pdf.drawCentredString(297, 30, f"- {number} -")
        pdf.setFont(cjk_font(), 12)
        pdf.drawString(72, 700, body)
        pdf.showPage()
    pdf.save()
    document = read_pdf(out.getvalue(), "printed.pdf", Limits())
    assert [block.text for block in document.blocks] == ["一、总体情况", "二、主动公开政府信息情况"]


def test_read_pdf_fake_bold_reads_each_character_once() -> None:
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont(cjk_font(), 14)
    for dx in (0, 0.4):  # Word's bold for a font without a bold face: the text printed twice, shifted
        pdf.drawString(72 + dx, 760, "二、主动公开政府信息情况")
    pdf.setFont(cjk_font(), 12)
    pdf.drawString(72, 740, "2.重复申请 11")
    pdf.showPage()
    pdf.save()
    document = read_pdf(out.getvalue(), "bold.pdf", Limits())
    assert [block.text for block in document.blocks] == ["二、主动公开政府信息情况", "2.重复申请 11"]


def test_read_pdf_row_broken_over_pages_rejoins() -> None:
    # LibreOffice broke the row 5.属于三类内部事务信息 after 事务: 信息 opens the next page's table.
    data = (Path(__file__).parent / "golden" / "pdf_libreoffice_2021" / "input.pdf").read_bytes()
    rows = _rows(read_pdf(data, "libreoffice.pdf", Limits()))
    assert ["5.属于三类内部事务信息", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert not any(row[-1] == "信息" for row in rows)


def test_read_pdf_image_only_goes_to_ocr() -> None:
    # Two grey pages with nothing on them: read by OCR (the ocr extra is installed for the tests), no text found.
    # Without the extra the error says how to install it (test_ocr_scan.py).
    document = read_document(_image_pdf(2), "scan.pdf")
    assert document.ocr is True
    assert not any(isinstance(block, Table) for block in document.blocks)
    with pytest.raises(NotAReport, match=r"scan\.pdf: 没有找到统计表"):
        parse_bytes(_image_pdf(2), "scan.pdf")


def test_read_pdf_warns_about_pages_without_text() -> None:
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont(cjk_font(), 12)
    pdf.drawString(72, 760, "平顺县人民政府2023年政府信息公开工作年度报告")
    pdf.showPage()
    pdf.drawImage(ImageReader(Image.new("L", (100, 140), color=200)), 50, 100, width=480, height=650)
    pdf.showPage()
    pdf.save()
    document = read_pdf(out.getvalue(), "mixed.pdf", Limits())
    assert [block.text for block in document.blocks] == ["平顺县人民政府2023年政府信息公开工作年度报告"]
    assert document.warnings == ["2 页中有 1 页没有文字（图片？）"]


def test_read_pdf_truncated_is_corrupt_naming_the_file(ruled_pdf: bytes) -> None:
    with pytest.raises(CorruptDocument, match=r"^cut\.pdf: truncated PDF"):
        read_document(ruled_pdf[: len(ruled_pdf) // 2], "cut.pdf")


def test_read_pdf_junk_after_the_end_is_still_read(ruled_pdf: bytes) -> None:
    document = read_document(ruled_pdf + b"<html>" + b"x" * 8000 + b"</html>", "junk_after.pdf")
    assert _row_starting(document, "一、本年新收政府信息公开申请数量")[1:] == [str(n) for n in RECEIVED]


def test_read_pdf_garbage_body_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match=r"^junk\.pdf: damaged PDF"):
        read_document(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "junk.pdf")


def test_read_pdf_damaged_bytes_give_a_document_or_a_named_error(ruled_pdf: bytes) -> None:
    rng = random.Random(1)
    outcomes = set()
    for index in range(60):
        data = bytearray(ruled_pdf)
        for _ in range(rng.choice((1, 5, 50, 500))):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_document(bytes(data), f"damaged{index}.pdf")
            outcomes.add("read")
        except ParseError as error:
            assert error.source == f"damaged{index}.pdf"
            outcomes.add(error.reason)
    assert "read" in outcomes and len(outcomes) >= 2


def test_read_pdf_over_page_limit_is_too_large(ruled_pdf: bytes) -> None:
    with pytest.raises(TooLarge, match=r"^long\.pdf: 2 pages is over the 1-page limit"):
        read_document(ruled_pdf, "long.pdf", limits=Limits(max_pdf_pages=1))


def _ruled_table(pdf: canvas.Canvas, xs: list[float], top: float, rows: list[list[str]], font: str) -> None:
    height = 20.0
    bottom = top - height * len(rows)
    for index in range(len(rows) + 1):
        pdf.line(xs[0], top - index * height, xs[-1], top - index * height)
    for x in xs:
        pdf.line(x, bottom, x, top)
    pdf.setFont(font, 10)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            pdf.drawString(xs[c] + 3, top - (r + 1) * height + 6, text)


def test_read_pdf_two_tables_whose_column_lines_nearly_line_up_keep_their_columns() -> None:
    # A WPS report: table 三 above, table 四 below on the same page, one column line of each 0.6 pt apart.
    # The lower line was merged into the upper one's and table 四 lost a column: "13 4" in one cell.
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    font = cjk_font()
    _ruled_table(pdf, [70.0, 150.0, 250.9, 330.0], 760.0, [["本年新收", "3", "4"], ["上年结转", "0", "1"]], font)
    _ruled_table(pdf, [70.0, 160.0, 222.1, 251.5, 279.9, 330.0], 400.0,
                 [["行政复议", "结果维持", "结果纠正", "其他", "总计"], ["", "72", "13", "4", "89"]], font)
    pdf.showPage()
    pdf.save()
    document = read_pdf(buffer.getvalue(), "two_tables.pdf")
    tables = [block for block in document.blocks if isinstance(block, Table)]
    assert len(tables) == 2
    assert [cell.text for cell in tables[1].rows[1]] == ["", "72", "13", "4", "89"]
