"""Parse throughput per format on generated reports, against bare lxml / pdfium baselines measured in the same run.

    .venv/bin/python bench/parse.py                 # ~1 minute on one core
    .venv/bin/python bench/parse.py --count 3000 --pdf-count 1000

Targets on one core: HTML and text ≥ 200 reports/s, DOCX ≥ 50/s, PDF ≥ 5/s (parsers.parse_bytes, end to end).
Rendering the inputs (samples.render) is not timed.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import pypdfium2 as pdfium

from parsers import parse_bytes, read_document
from samples.generate import random_report
from samples.model import SampleTemplate
from samples.render import render

AGENCIES = ("泽州县教育局", "阳城县人力资源和社会保障局", "沁水县民政局", "高平市卫生健康局", "陵川县自然资源局",
            "壶关县住房和城乡建设局", "长子县医疗保障局", "沁源县农业农村局", "古县交通运输局", "平顺县人民政府")
TARGETS = {"html": 200, "text": 200, "docx": 50, "pdf": 5}
TEMPLATES: tuple[SampleTemplate, ...] = ("2019", "2021")


@dataclass
class Result:
    name: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        """Reports per second."""
        return self.count / self.seconds if self.seconds else float("inf")


def generate(fmt: str, count: int, seed: int) -> list[tuple[str, bytes]]:
    """`count` distinct reports rendered as `fmt` (text rotates its three forms, HTML its two encodings)."""
    rng = random.Random(seed)
    documents = []
    for index in range(count):
        template: SampleTemplate = rng.choice(TEMPLATES)
        year = rng.choice((2019, 2020)) if template == "2019" else rng.randint(2021, 2024)
        report = random_report(rng, rng.choice(AGENCIES), year, template, consistent=rng.random() < 0.9)
        report.traditional = rng.random() < 0.05
        if fmt == "text":
            form = ("text_cells", "text_tabs", "text_pipes")[index % 3]
            documents.append((f"r{index}.txt", render(report, form)))  # type: ignore[arg-type]
        elif fmt == "html":
            documents.append((f"r{index}.html", render(report, "html", encoding="gbk" if index % 4 == 0 else "utf-8")))
        else:
            documents.append((f"r{index}.{fmt}", render(report, fmt)))  # type: ignore[arg-type]
    return documents


def timed(name: str, documents: list[tuple[str, bytes]], work: Callable[[bytes, str], object]) -> Result:
    """Run `work` over every document once, wall-clock timed."""
    start = time.perf_counter()
    for source, data in documents:
        work(data, source)
    return Result(name, len(documents), time.perf_counter() - start)


def bare_pdfium(data: bytes, source: str) -> str:
    """The floor for PDF: open, extract every page's text, close."""
    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for page in pdf:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "".join(parts)
    finally:
        pdf.close()


def bare_pdfplumber(data: bytes, source: str) -> str:
    """The first baseline measured: pdfplumber's text of every page."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def run(count: int, pdf_count: int, formats: list[str], seed: int, plumber: int) -> list[tuple[Result, Result | None]]:
    """Each format's end-to-end result with the baseline measured on the same documents."""
    rows: list[tuple[Result, Result | None]] = []
    for fmt in formats:
        n = pdf_count if fmt == "pdf" else count
        documents = generate(fmt, n, seed)
        for source, data in documents[:3]:  # warm up imports, fonts and caches outside the timing
            parse_bytes(data, source)
        baseline = None
        if fmt == "html":
            baseline = timed("lxml.html.fromstring", documents, lambda data, _: lxml.html.fromstring(data))
        elif fmt == "pdf":
            baseline = timed("pypdfium2 text", documents, bare_pdfium)
            rows.append((timed("pdf read_document", documents, read_document), baseline))
            if plumber:
                rows.append((timed("pdfplumber text", documents[:plumber], bare_pdfplumber), baseline))
        rows.append((timed(f"{fmt} parse_bytes", documents, parse_bytes), baseline))
    return rows


def main() -> None:
    """Command line: run and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="reports per format for HTML, text, DOCX")
    parser.add_argument("--pdf-count", type=int, default=150, help="reports for PDF (rendering them is slow)")
    parser.add_argument("--formats", default="html,text,docx,pdf", help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--pdfplumber", type=int, default=10, help="also time pdfplumber on this many PDFs (0: no)")
    args = parser.parse_args()
    rows = run(args.count, args.pdf_count, args.formats.split(","), args.seed, args.pdfplumber)
    print(f"{'what':<22}{'reports':>8}{'seconds':>9}{'per s':>9}{'target':>8}   baseline (same run)")
    for result, baseline in rows:
        fmt = result.name.split()[0]
        target = f"{TARGETS[fmt]:>8}" if fmt in TARGETS and result.name.endswith("parse_bytes") else " " * 8
        ratio = ""
        if baseline is not None and baseline is not result:
            ratio = f"{baseline.name} {baseline.rate:.0f}/s; {baseline.rate / result.rate:.1f}× faster than this"
        print(f"{result.name:<22}{result.count:>8}{result.seconds:>9.2f}{result.rate:>9.1f}{target}   {ratio}")


if __name__ == "__main__":
    main()
