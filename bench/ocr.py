"""OCR of scanned reports: seconds per page and cell accuracy per degradation level, with and without the
arithmetic's judgement (re-reads of cells that break an identity, uncertain marks).

    .venv/bin/python bench/ocr.py                        # the hand-typed fixture report, every level (~5 min)
    .venv/bin/python bench/ocr.py --real --levels mild   # also the real reports of tests/real, printed and scanned

Inputs: tests/fixtures/scan (a DOCX typed by hand, printed by LibreOffice, scanned at 200 DPI) and, with --real,
each text PDF of tests/real rendered at 200 DPI as a scanner would; samples.scan degrades the pages (skew,
blur, noise, JPEG, phone perspective). Expected values are the cases' expected.json (read by a person).
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

from parsers.extract import extract_report
from parsers.readers.scan import read_images, render_pages
from samples.scan import LEVEL, LEVELS, Degradation, degrade, image_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "scan"
REAL = ROOT / "tests" / "real"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(level.name for level in LEVELS),
                        help="degradation levels: " + ", ".join(level.name for level in LEVELS))
    parser.add_argument("--real", action="store_true", help="also the real reports of tests/real")
    args = parser.parse_args()
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
