"""The sample renderer's outputs are what they claim, and generated values satisfy the identities of checks.md."""

from __future__ import annotations

import random
from io import BytesIO

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from parsers.schema import REQUEST_COLUMNS, RESULT_ROW_PREFIXES, REVIEW_ROWS, rows_of
from samples.generate import random_report
from samples.model import ExtraRow, SampleReport
from samples.render import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
APPLICANTS = [c.key for c in REQUEST_COLUMNS if c.key != "total"]


@pytest.fixture(scope="module")
def report_2021() -> SampleReport:
    return random_report(random.Random(11), "沁水县民政局", 2022, "2021")


def _n(report: SampleReport, key: str) -> int:
    value = report.values[key]
    assert isinstance(value, int), key
    return value


def _identity_errors(report: SampleReport) -> list[str]:
    errors = []
    request_rows = [row.key for row in rows_of("requests", report.template)]
    results = [key for key in request_rows if key.startswith(RESULT_ROW_PREFIXES)]
    for row in request_rows:
        if sum(_n(report, f"requests.{row}.{c}") for c in APPLICANTS) != _n(report, f"requests.{row}.total"):
            errors.append(f"row_total {row}")
    for column in [*APPLICANTS, "total"]:
        def value(row: str, column: str = column) -> int:
            return _n(report, f"requests.{row}.{column}")
        if value("received") + value("carried_over") != value("results_total") + value("carried_forward"):
            errors.append(f"balance {column}")
        if sum(value(row) for row in results) != value("results_total"):
            errors.append(f"results_total {column}")
    for row in REVIEW_ROWS:
        parts = sum(_n(report, f"reviews.{row.key}.{c}") for c in ("upheld", "corrected", "other", "pending"))
        if parts != _n(report, f"reviews.{row.key}.total"):
            errors.append(f"review_total {row.key}")
    negatives = [key for key, v in report.values.items() if isinstance(v, int | float) and v < 0
                 and not key.endswith(".change")]
    return errors + [f"negative {key}" for key in negatives]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_random_report_satisfies_every_identity(template: str) -> None:
    rng = random.Random(5)
    reports = [random_report(rng, "阳城县教育局", 2020 if template == "2019" else 2023, template) for _ in range(200)]
    assert [error for report in reports for error in _identity_errors(report)] == []
    assert any(_n(report, "requests.received.total") > 5 for report in reports), "values should not all be tiny"
    assert all(report.stated_received == report.values["requests.received.total"] for report in reports)


def test_random_report_inconsistent_plants_one_named_defect() -> None:
    rng = random.Random(8)
    for _ in range(40):
        report = random_report(rng, "阳城县教育局", 2023, "2021", consistent=False)
        assert len(report.defects) == 1
        assert any(error.startswith(report.defects[0]) for error in _identity_errors(report))


def test_render_docx_opens_with_merged_cells(report_2021: SampleReport) -> None:
    document = docx.Document(BytesIO(render(report_2021, "docx")))
    requests = next(t for t in document.tables if "申请人情况" in t._tbl.xml)
    first = requests._tbl.tr_lst[0].tc_lst[0]
    assert first.tcPr.find(f"{W}gridSpan").get(f"{W}val") == "3"
    assert first.tcPr.find(f"{W}vMerge").get(f"{W}val") == "restart"
    assert "勾稽关系" in "".join(first.itertext())
    assert requests._tbl.tr_lst[1].tc_lst[0].tcPr.find(f"{W}vMerge").get(f"{W}val") is None  # continues
    assert len(requests.columns) == 10
    received = next(row for row in requests.rows if row.cells[0].text.startswith("一、本年新收"))
    expected = [str(report_2021.values[f"requests.received.{c.key}"]) for c in REQUEST_COLUMNS]
    assert [cell.text for cell in received.cells[3:]] == expected
    assert document.paragraphs[0].text == "沁水县民政局2022年政府信息公开工作年度报告"


def test_render_pdf_has_text_layer_in_embedded_font(report_2021: SampleReport) -> None:
    pdf = pdfium.PdfDocument(render(report_2021, "pdf"))
    try:
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        assert "沁水县民政局2022年政府信息公开工作年度报告" in text
        fonts = [pdfium_c.FPDFTextObj_GetFont(obj.raw)
                 for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]
        assert fonts and all(pdfium_c.FPDFFont_GetIsEmbedded(font) for font in fonts)
    finally:
        pdf.close()


def test_render_html_gbk_declares_and_is_gbk(report_2021: SampleReport) -> None:
    page = render(report_2021, "html", encoding="gbk")
    assert b'charset=gbk"' in page[:300]
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    text = page.decode("gbk")
    assert '<meta name="ArticleTitle" content="沁水县民政局2022年政府信息公开工作年度报告">' in text
    assert 'rowspan="22"' in text and "三、本年度办理结果" in text  # 2021: the results label spans 22 rows


def test_render_traditional_prints_traditional_script(report_2021: SampleReport) -> None:
    report = SampleReport(**{**report_2021.__dict__, "traditional": True})
    text = render(report, "text_tabs").decode("utf-8")
    assert text.startswith("沁水縣民政局2022年政府信息公開工作年度報告")


def test_render_text_forms_follow_the_seeds(report_2021: SampleReport) -> None:
    cells = render(report_2021, "text_cells").decode().splitlines()
    assert "\t一、本年新收政府信息公开申请数量" in cells
    pipes = render(report_2021, "text_pipes").decode().splitlines()
    received = next(line for line in pipes if "本年新收" in line)
    total = report_2021.values["requests.received.total"]
    assert received.startswith("| 一、本年新收政府信息公开申请数量 |  |  | ") and received.endswith(f" {total} |")
    tabs = render(report_2021, "text_tabs").decode().splitlines()
    assert sum(1 for line in tabs if line.count("\t") == 14) == 4  # section 四: 15 columns, 4 grid rows


def test_render_options_drop_rows_extra_rows_subtotals_and_sentence() -> None:
    report = random_report(random.Random(2), "高平市卫生健康局", 2021, "2021")
    report.drop_rows = {"active.coercion"}
    report.extra_rows = [ExtraRow("active", "其他主动公开文件", [4, 0, 9], after="normative_documents")]
    report.subtotal_rows = True
    report.reviews_as_sentence = True
    lines = render(report, "text_tabs").decode().splitlines()
    assert not any(line.startswith("行政强制") for line in lines)
    assert "其他主动公开文件\t4\t0\t9" in lines
    denied = sum(_n(report, f"requests.{row.key}.total") for row in rows_of("requests", "2021")
                 if row.key.startswith("denied."))
    assert any(line.startswith("\t（三）不予公开\t\t") and line.endswith(f"\t{denied}") for line in lines)
    assert "本年度未发生政府信息公开行政复议、行政诉讼情况。" in lines
    assert not any(line.count("\t") == 14 for line in lines)
