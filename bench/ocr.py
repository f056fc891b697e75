"""OCR of scanned reports: seconds per page and cell accuracy per degradation level, with and without the
arithmetic's judgement (re-reads of cells that break an identity, uncertain marks).

    .venv/bin/python bench/ocr.py                        # the hand-typed fixture report, every level (~5 min)
    .venv/bin/python bench/ocr.py --real --levels mild   # also the real reports of tests/real, printed and scanned
    .venv/bin/python bench/ocr.py --pictures             # article pages whose tables are screenshots (~1 min)

Inputs: tests/fixtures/scan (a DOCX typed by hand, printed by LibreOffice, scanned at 200 DPI) and, with --real,
each text PDF of tests/real rendered at 200 DPI as a scanner would; samples.scan degrades the pages (skew,
blur, noise, JPEG, phone perspective). Expected values are the cases' expected.json (read by a person).
With --pictures: the fixture report as an article page with its tables as screenshots (tests/fixtures/scan_html:
at 120 DPI as committed, and cut again from the 200-DPI pages at 96 DPI), JPEG quality 75; seconds per picture.
Targets (issue 16): ≥ 99% of cells exact at 200 DPI with mild skew and noise, ≥ 97% on phone photos, every
wrong cell marked uncertain; ≤ 20 s per table page on one core. Set NIANBAO_OCR_THREADS to use more cores.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from parsers import parse_bytes
from parsers.extract import extract_report
from parsers.readers.scan import read_images, render_pages
from parsers.readers.web_archive import write_archive
from samples.scan import LEVEL, LEVELS, Degradation, degrade, image_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "scan"
REAL = ROOT / "tests" / "real"
PICTURES = ROOT / "tests" / "fixtures" / "scan_html"
# The screenshots' crops at 120 DPI (tests/fixtures/scan_html/make_pictures.py): page, box.
SHOTS = [(1, (66, 309, 909, 662)), (1, (66, 690, 900, 1296)), (2, (66, 87, 909, 577))]


@dataclass
class Case:
    name: str
    pages: list[Image.Image]
    expected: dict[str, int | float | None]


@dataclass
class Tally:
    pages: int = 0
    seconds: float = 0.0
    cells: int = 0
    exact: int = 0
    exact_alone: int = 0  # OCR alone, no re-reads
    uncertain: int = 0
    wrong_unmarked: int = 0
    notes: list[str] = field(default_factory=list)


def cases(real: bool) -> list[Case]:
    found = [Case("fixture", [Image.open(path) for path in sorted(FIXTURE.glob("page-*.png"))],
                  json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))["values"])]
    if real:
        for folder in sorted(path for path in REAL.iterdir() if (path / "input.pdf").exists()):
            pdf = pdfium.PdfDocument((folder / "input.pdf").read_bytes())
            pages = [Image.fromarray(image) for image in render_pages(pdf)]
            expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["values"]
            found.append(Case(folder.name, pages, expected))
    return found


def run(case: Case, level: Degradation, tally: Tally) -> None:
    scanned = image_pdf([degrade(page, level, seed=n) for n, page in enumerate(case.pages)], level.dpi)
    images = render_pages(pdfium.PdfDocument(scanned))
    started = time.perf_counter()
    report = extract_report(read_images(images, case.name), case.name)
    tally.seconds += time.perf_counter() - started
    tally.pages += len(images)
    alone = extract_report(read_images([np.asarray(image) for image in images], case.name, judge=False), case.name)
    for key, value in case.expected.items():
        tally.cells += 1
        read = report.values.get(key, "missing")
        tally.exact += read == value
        tally.exact_alone += alone.values.get(key, "missing") == value
        tally.uncertain += key in report.uncertain
        if read != value and key not in report.uncertain:
            tally.wrong_unmarked += 1
            tally.notes.append(f"{case.name} {key}: read {read}, is {value}")


def picture_archive(dpi: int) -> tuple[bytes, int]:
    """The fixture article page and its table screenshots at `dpi` (JPEG 75) as one web archive; pictures."""
    from io import BytesIO

    url = "http://127.0.0.1/xxgk/nb/2025/t20250120_394857.html"
    files = sorted(PICTURES.glob("W*.jpg"))
    if dpi == 120:
        shots = [path.read_bytes() for path in files]
    else:
        shots = []
        for page, box in SHOTS:
            left, top, right, bottom = (v * 200 // 120 for v in box)
            image = Image.open(FIXTURE / f"page-{page}.png").convert("L").crop((left, top, right, bottom))
            image = image.resize((image.width * dpi // 200, image.height * dpi // 200), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            image.save(buffer, "JPEG", quality=75)
            shots.append(buffer.getvalue())
    pictures = [(url.rsplit("/", 1)[0] + "/" + path.name, data) for path, data in zip(files, shots, strict=True)]
    return write_archive((PICTURES / "article.html").read_bytes(), url, pictures), len(pictures)


def run_pictures() -> None:
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))["values"]
    print(f"{'pictures':<14}{'s/picture':>10}{'exact':>9}{'uncertain':>11}{'wrong unmarked':>16}")
    for dpi in (120, 96):
        archive, count = picture_archive(dpi)
        started = time.perf_counter()
        report = parse_bytes(archive, "article.mht")
        seconds = time.perf_counter() - started
        exact = sum(report.values.get(key, "missing") == value for key, value in expected.items())
        wrong = [key for key, value in expected.items()
                 if report.values.get(key, "missing") != value and key not in report.uncertain]
        print(f"{f'{dpi} DPI JPEG 75':<14}{seconds / count:>10.1f}{exact / len(expected):>9.2%}"
              f"{len(report.uncertain):>11}{len(wrong):>16}")
        for key in wrong[:10]:
            print(f"    {key}: read {report.values.get(key, 'missing')}, is {expected[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(level.name for level in LEVELS),
                        help="degradation levels: " + ", ".join(level.name for level in LEVELS))
    parser.add_argument("--real", action="store_true", help="also the real reports of tests/real")
    parser.add_argument("--pictures", action="store_true", help="only the article page with table screenshots")
    args = parser.parse_args()
    if args.pictures:
        run_pictures()
        return
    all_cases = cases(args.real)
    print(f"{'level':<10}{'s/page':>8}{'exact':>9}{'alone':>9}{'uncertain':>11}{'wrong unmarked':>16}  description")
    for name in args.levels.split(","):
        level = LEVEL[name]
        tally = Tally()
        for case in all_cases:
            run(case, level, tally)
        print(f"{name:<10}{tally.seconds / tally.pages:>8.1f}{tally.exact / tally.cells:>9.2%}"
              f"{tally.exact_alone / tally.cells:>9.2%}{tally.uncertain:>11}{tally.wrong_unmarked:>16}  {level.label}")
        for note in tally.notes[:10]:
            print(f"    {note}")


if __name__ == "__main__":
    main()
