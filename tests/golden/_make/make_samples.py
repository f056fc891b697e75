"""Build the golden cases rendered by samples: pdf_text_2021, pdf_2019_outdated, text_pipes_2021,
text_missing_row_extra_row, pdf_libreoffice_2021 (the pdf_text_2021 report as DOCX, turned into a PDF
by LibreOffice: another producer's fonts, borders and page breaks inside table rows) and
pdf_libreoffice_traditional_2019 (the pdf_2019_outdated report in traditional script, so that labels
wrap inside words such as 反覆).

Run once: `.venv/bin/python tests/golden/_make/make_samples.py`; inputs and expected.json are committed.
Every cell below is chosen by hand (most are 0); expected.json is written from these choices, with the
number a person reads from each raw text given next to it (增16 → 16, 251000元 → 25.1), never from the parser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import opencc

from parsers.schema import template_keys
from samples.model import ExtraRow, SampleReport
from samples.render import render

GOLDEN = Path(__file__).resolve().parent.parent
COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total")
REVIEWS = ("review", "litigation_direct", "litigation_after_review")
# raw text printed in a cell → the number a person reads (docs/report-keys.md, Values)
READS = {"增16": 16, "减3": -3, "251000元": 25.1, "/": 0, None: None}


def row(prefix: str, *numbers: int | None) -> dict[str, int | None]:
    """Seven applicant cells of a table 三 row, or five cells of a section 四 row."""
    columns = COLUMNS if prefix.startswith("requests.") else ("upheld", "corrected", "other", "pending", "total")
    assert len(numbers) == len(columns), prefix
    return {f"{prefix}.{column}": number for column, number in zip(columns, numbers, strict=True)}


def filled(template: str, cells: dict) -> dict:
    """Every template cell: the hand-chosen ones, 0 elsewhere."""
    return {key: cells.get(key, 0) for key in template_keys(template)}


def pdf_text_2021() -> SampleReport:
    """陵川县自然资源局 2023 (template 2021): requests in several result rows, reviews 1 0 0 1 2 | 0 1 0 0 1."""
    # 自然人 9 new + 1 carried = 5 granted + 1 partly + 2 not held + 1 duplicate + 1 carried forward;
    # 商业企业 2 = 1 granted + 1 third party; 法律服务机构 1 = 1 unpaid fee (the wrapped label row).
    cells = {
        "active.normative_documents.issued": 2, "active.normative_documents.repealed": 1,
        "active.normative_documents.in_force": 6, "active.licensing.decisions": 48,
        "active.penalty.decisions": 15, "active.coercion.decisions": 3, "active.fees.amount": 6.3,
        **row("requests.received", 9, 2, 0, 0, 1, 0, 12),
        **row("requests.carried_over", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.granted", 5, 1, 0, 0, 0, 0, 6),
        **row("requests.partially_granted", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.denied.third_party", 0, 1, 0, 0, 0, 0, 1),
        **row("requests.unavailable.not_held", 2, 0, 0, 0, 0, 0, 2),
        **row("requests.not_processed.duplicate", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.other_handling.unpaid_fee", 0, 0, 0, 0, 1, 0, 1),
        **row("requests.results_total", 9, 2, 0, 0, 1, 0, 12),
        **row("requests.carried_forward", 1, 0, 0, 0, 0, 0, 1),
        **row("reviews.review", 1, 0, 0, 1, 2), **row("reviews.litigation_direct", 0, 1, 0, 0, 1),
    }
    return SampleReport("陵川县自然资源局", 2023, "2021", filled("2021", cells), date(2024, 1, 26), stated_received=12)


def pdf_2019_outdated() -> SampleReport:
    """壶关县住建局 2022 on the 2019 template: 增16, 减3, -2 and 采购总金额 251000元."""
    cells = {
        "active.normative_documents.new_made": 1, "active.normative_documents.new_published": 1,
        "active.normative_documents.total_published": 14,
        "active.licensing.prev_year_items": 30, "active.licensing.change": "增16", "active.licensing.decisions": 120,
        "active.other_services.prev_year_items": 5, "active.other_services.change": "减3",
        "active.other_services.decisions": 8,
        "active.penalty.prev_year_items": 12, "active.penalty.change": -2, "active.penalty.decisions": 40,
        "active.coercion.prev_year_items": 3, "active.coercion.decisions": 1,
        "active.fees.prev_year_items": 2,
        "active.procurement.items": 4, "active.procurement.amount": "251000元",
        **row("requests.received", 3, 1, 0, 0, 0, 0, 4),
        **row("requests.granted", 2, 0, 0, 0, 0, 0, 2),
        **row("requests.partially_granted", 0, 1, 0, 0, 0, 0, 1),
        **row("requests.other_handling", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.results_total", 3, 1, 0, 0, 0, 0, 4),
        **row("reviews.review", 0, 0, 0, 1, 1),
    }
    return SampleReport("壶关县住房和城乡建设局", 2022, "2019", filled("2019", cells), date(2023, 1, 30),
                        stated_received=4)


def text_pipes_2021() -> SampleReport:
    """长子县医保局 2022: section 四 is a sentence, the 总计 of （七） is blank."""
    cells = {
        "active.normative_documents.issued": 1, "active.normative_documents.in_force": 3,
        "active.licensing.decisions": 7, "active.fees.amount": 0.35,
        **row("requests.received", 2, 0, 0, 0, 0, 1, 3),
        **row("requests.granted", 2, 0, 0, 0, 0, 0, 2),
        **row("requests.unavailable.needs_creation", 0, 0, 0, 0, 0, 1, 1),
        # 总计 of （七） left blank, as 上海2019 did: a blank cell, not a 0
        **row("requests.results_total", 2, 0, 0, 0, 0, 1, None),
    }
    report = SampleReport("长子县医疗保障局", 2022, "2021", filled("2021", cells), date(2023, 1, 18),
                          stated_received=3)
    report.reviews_as_sentence = True
    return report


def text_missing_row_extra_row() -> SampleReport:
    """沁源县农业农村局 2023: no 行政强制 row, 其他主动公开文件, subtotal rows, / for 规章."""
    cells = {
        "active.regulations.issued": "/", "active.regulations.repealed": "/", "active.regulations.in_force": "/",
        "active.normative_documents.issued": 3, "active.normative_documents.in_force": 11,
        "active.licensing.decisions": 260, "active.penalty.decisions": 31, "active.fees.amount": 12,
        **row("requests.received", 4, 1, 0, 0, 0, 0, 5),
        **row("requests.granted", 2, 0, 0, 0, 0, 0, 2),
        **row("requests.denied.state_secret", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.denied.process_info", 0, 1, 0, 0, 0, 0, 1),
        **row("requests.unavailable.not_held", 1, 0, 0, 0, 0, 0, 1),
        **row("requests.results_total", 4, 1, 0, 0, 0, 0, 5),
        **row("reviews.litigation_direct", 0, 0, 1, 0, 1),
    }
    report = SampleReport("沁源县农业农村局", 2023, "2021", filled("2021", cells), date(2024, 1, 29),
                          stated_received=5)
    report.drop_rows = {"active.coercion"}
    report.extra_rows = [ExtraRow("active", "其他主动公开文件", [5, 0, 12], after="normative_documents")]
    report.subtotal_rows = True
    return report


def expected(report: SampleReport, extra: dict | None = None) -> dict:
    """expected.json from the hand-chosen cells: numbers as chosen, raw texts read as READS says."""
    values = {}
    for key in report.printed_keys():
        value = report.values[key]
        values[key] = READS[value] if isinstance(value, str) or value is None else value
    data = {
        "agency": report.agency, "year": report.year, "template": report.template,
        "published_on": report.published_on.isoformat() if report.published_on else None,
        "kind": "department", "statistics_year": report.year,
        "tables": ["active", "requests"] + ([] if report.reviews_as_sentence else ["reviews"]),
        "sections": list(report.sections),
        "stated": {"requests.received.total": report.stated_received},
        "values": {**values, **(extra or {})},
    }
    # raw is the text as printed: in a traditional-script document 减3 is printed 減3 (samples.layout converts it)
    printed = opencc.OpenCC("s2t").convert if report.traditional else str
    raw = {key: printed(value) for key, value in report.values.items() if isinstance(value, str) and key in values}
    if raw:
        data["raw"] = raw
    states = {key: "blank" for key, value in values.items() if value is None}
    states |= {key: "none" for key, value in report.values.items() if value == "/" and key in values}
    if states:
        data["states"] = states
    return data


def write(case: str, report: SampleReport, fmt: str, suffix: str, extra: dict | None = None) -> None:
    """input.<suffix> rendered as `fmt` and expected.json of one case."""
    folder = GOLDEN / case
    folder.mkdir(exist_ok=True)
    (folder / f"input{suffix}").write_bytes(render(report, fmt))  # type: ignore[arg-type]
    text = json.dumps(expected(report, extra), ensure_ascii=False, indent=1) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8")


def write_libreoffice(case: str, report: SampleReport) -> None:
    """The report as DOCX converted to PDF by soffice (skipped where LibreOffice is not installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"{case}: soffice not found, not rebuilt")
        return
    folder = GOLDEN / case
    folder.mkdir(exist_ok=True)
    if (folder / "input.pdf").exists():
        print(f"{case}: input.pdf kept (LibreOffice output differs run to run; delete it to rebuild)")
    else:
        _soffice_pdf(soffice, report, folder / "input.pdf")
    text = json.dumps(expected(report), ensure_ascii=False, indent=1) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8")


def _soffice_pdf(soffice: str, report: SampleReport, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.docx"
        source.write_bytes(render(report, "docx"))
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=120)
        shutil.copy(Path(tmp) / "input.pdf", target)


def main() -> None:
    """Build every case of this module."""
    write("pdf_text_2021", pdf_text_2021(), "pdf", ".pdf")
    write_libreoffice("pdf_libreoffice_2021", pdf_text_2021())
    traditional = pdf_2019_outdated()
    traditional.traditional = True
    write_libreoffice("pdf_libreoffice_traditional_2019", traditional)
    write("pdf_2019_outdated", pdf_2019_outdated(), "pdf", ".pdf")
    write("text_pipes_2021", text_pipes_2021(), "text_pipes", ".txt")
    # The extra provincial row and the printed （三）（四）（五） subtotals are kept under extra.* keys.
    extras = {
        "extra.active.其他主动公开文件.1": 5, "extra.active.其他主动公开文件.3": 12,
        "extra.requests.denied.subtotal.natural_person": 1, "extra.requests.denied.subtotal.commercial": 1,
        "extra.requests.denied.subtotal.total": 2, "extra.requests.unavailable.subtotal.total": 1,
        "extra.requests.not_processed.subtotal.total": 0,
    }
    write("text_missing_row_extra_row", text_missing_row_extra_row(), "text_tabs", ".txt", extras)


if __name__ == "__main__":
    main()
