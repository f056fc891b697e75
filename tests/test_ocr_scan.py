"""Scanned (image-only) reports read by OCR: a report typed in Word, printed by LibreOffice, scanned at 200 DPI
(tests/fixtures/scan, values chosen by hand in make_scan.py), degraded as copiers and phones do."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from db.report_rows import parse_status
from nianbao.cli import main
from nianbao.commands.parse import summary_line
from parsers import Limits, parse_bytes
from parsers.report import ParsedReport
from samples.scan import LEVEL, degrade, image_pdf

SCAN = Path(__file__).parent / "fixtures" / "scan"
EXPECTED = json.loads((SCAN / "expected.json").read_text(encoding="utf-8"))
REVIEW_KEYS = [f"reviews.{row}.{column}" for row in ("review", "litigation_direct", "litigation_after_review")
               for column in ("upheld", "corrected", "other", "pending", "total")]


def _pages() -> list[Image.Image]:
    return [Image.open(SCAN / f"page-{number}.png") for number in (1, 2)]


@pytest.fixture(scope="module")
def scanned_report(tmp_path_factory: pytest.TempPathFactory) -> ParsedReport:
    """`nianbao parse --json` of the two pages scanned at 200 DPI, 0.8° crooked, a little blurred and noisy."""
    level = LEVEL["mild"]
    path = tmp_path_factory.mktemp("scan") / "清源县市场监督管理局2024年报（图片版）.pdf"
    path.write_bytes(image_pdf([degrade(page, level, seed=n) for n, page in enumerate(_pages())], level.dpi))
    result = CliRunner().invoke(main, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return ParsedReport.from_json(json.loads(result.stdout))


@pytest.mark.slow
def test_scanned_report_every_cell(scanned_report: ParsedReport) -> None:
    report = scanned_report
    assert (report.agency, report.year, report.template) == ("清源县市场监督管理局", 2024, "2021")
    assert report.tables == ["active", "requests", "reviews"]
    assert report.ocr is True
    wrong = {key: (report.values.get(key, "missing"), value) for key, value in EXPECTED["values"].items()
             if report.values.get(key, "missing") != value}
    assert wrong == {}
    assert report.uncertain == []
    assert parse_status(report) == "parsed"
    assert any(warning.startswith("扫描件：2 页经 OCR 识别") for warning in report.warnings)


def _reviews_page(total: str, title: str = "") -> Image.Image:
    """The lower half of page 2 (heading 四 and its table), with the 行政复议 总计 cell overwritten by hand
    (and a title line typed above it, if given)."""
    page = Image.open(SCAN / "page-2.png").convert("L")
    crop = page.crop((0, 712, page.width, 1400))
    canvas = Image.new("L", page.size, 255)
    canvas.paste(crop, (0, 200))
    draw = ImageDraw.Draw(canvas)
    # The cell 总计 of 行政复议 (5th column of the value row): white it out and write another number.
    left, top = 496, 925 - 512  # inside the rules at x 492/583, y 922/957 of the page
    draw.rectangle((left, top, left + 82, top + 29), fill=255)
    draw.text((left + 6, top + 15), total, fill=0, font=ImageFont.truetype(_cjk_font(), 32), anchor="lm")
    if title:
        draw.text((260, 100), title, fill=0, font=ImageFont.truetype(_cjk_font(), 40))
    return canvas


def _cjk_font() -> str:
    for path in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        if os.path.exists(path):
            return path
    pytest.skip("no font to draw a digit with")
    raise AssertionError


def test_a_reading_the_arithmetic_refutes_is_uncertain() -> None:
    # 3 + 1 + 0 + 1 is 5, but the scan says 8 wherever one looks: kept as read, marked, and said.
    report = parse_bytes(image_pdf([_reviews_page("8")]), "reviews-scan.pdf")
    assert [report.values[key] for key in REVIEW_KEYS[:5]] == [3, 1, 0, 1, 8]
    assert sorted(report.uncertain) == sorted(REVIEW_KEYS[:5])
    assert [report.values[key] for key in REVIEW_KEYS[5:]] == [2, 0, 1, 0, 3, 1, 0, 0, 0, 1]
    assert any("5 个单元格识别结果不确定" in warning for warning in report.warnings)
    assert parse_status(report) == "partial"
    assert "扫描件 OCR, 5 uncertain 不确定" in summary_line(report)


def test_a_reading_the_arithmetic_confirms_is_certain() -> None:
    report = parse_bytes(image_pdf([_reviews_page("5")]), "reviews-scan.pdf")
    assert [report.values[key] for key in REVIEW_KEYS] == [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 0, 1]
    assert report.uncertain == []


def _without_extra(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`nianbao ARGS` on a machine without the extra: rapidocr cannot be imported."""
    blocker = tmp_path / "blocked" / "rapidocr"
    blocker.mkdir(parents=True, exist_ok=True)
    (blocker / "__init__.py").write_text("raise ImportError(\"No module named 'rapidocr'\")\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "blocked")}
    command = [sys.executable, "-c", "from nianbao.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_without_the_extra_a_scan_says_how_to_install_it(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_pdf([_pages()[1]]))
    result = _without_extra(tmp_path, "parse", str(scan))
    assert result.returncode == 1
    assert f"错误：{scan}: 没有文字层：扫描件（1 页图片），需要 OCR 识别；识别需要安装 OCR 扩展：" \
           "pip install 'nianbao[ocr]'" in result.stderr


def test_the_ocr_stage_stores_what_was_left_needing_ocr(tmp_path: Path) -> None:
    # Ingested on a machine without the extra: kept as needs_ocr. `nianbao ocr` then reads and stores it.
    scan = tmp_path / "年报扫描件.pdf"
    scan.write_bytes(image_pdf([_reviews_page("5", "清源县市场监督管理局2024年政府信息公开工作年度报告")]))
    database = tmp_path / "nianbao.db"
    ingested = _without_extra(tmp_path, "ingest", "--db", str(database), str(scan))
    assert ingested.returncode == 1
    assert "识别需要安装 OCR 扩展" in ingested.stderr
    result = CliRunner().invoke(main, ["ocr", "--db", str(database)])
    assert result.exit_code == 0, result.output
    assert "待识别 1 份，已入库 1 份，失败 0 份" in result.stderr
    with sqlite3.connect(database) as connection:
        status, error = connection.execute("SELECT status, error FROM documents").fetchone()
        agency, year, parsed = connection.execute("SELECT agency, year, parsed FROM reports").fetchone()
        totals = connection.execute(
            "SELECT number FROM cell_values JOIN cells ON cells.id = cell_values.cell "
            "WHERE cells.key LIKE 'reviews.%.total' ORDER BY cells.id").fetchall()
    assert (status, error) == ("parsed", None)
    assert (agency, year) == ("清源县市场监督管理局", 2024)
    assert json.loads(parsed)["ocr"] is True
    assert [row[0] for row in totals] == [5, 3, 1]
    again = CliRunner().invoke(main, ["ocr", "--db", str(database)])
    assert "待识别 0 份" in again.stderr


@pytest.mark.slow
@pytest.mark.parametrize("degrees", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright(degrees: int) -> None:
    # Put in the scanner a quarter turn off (counter-clockwise), or upside down: turned back before it is read.
    page = _reviews_page("5", "清源县市场监督管理局2024年政府信息公开工作年度报告")
    turned = degrade(page.rotate(degrees, expand=True, fillcolor=255), LEVEL["mild"], seed=3)
    report = parse_bytes(image_pdf([turned]), "turned-scan.pdf")
    assert [report.values[key] for key in REVIEW_KEYS] == [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 0, 1]
    assert report.uncertain == []
    assert any(f"旋转 {degrees}°" in warning for warning in report.warnings), report.warnings


def _poster() -> Image.Image:
    """Page 1 of the report printed four times on one sheet (2 × 2): a page that takes OCR four times as long."""
    page = _pages()[0].convert("L")
    sheet = Image.new("L", (page.width * 2, page.height * 2), 255)
    for x in (0, page.width):
        for y in (0, page.height):
            sheet.paste(page, (x, y))
    return sheet


@pytest.mark.slow
def test_a_page_over_its_time_limit_is_skipped_and_the_report_is_partial() -> None:
    # The reviews page reads in a few seconds; the poster would take far over the 12 s a page is given here.
    pages = [_reviews_page("5", "清源县市场监督管理局2024年政府信息公开工作年度报告"), _poster()]
    report = parse_bytes(image_pdf(pages), "two-pages.pdf", limits=Limits(ocr_page_timeout=12))
    assert [report.values[key] for key in REVIEW_KEYS] == [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 0, 1]
    assert "OCR：第 2 页识别超过 12 秒，已跳过，其中内容未能识别" in report.warnings
    assert any(warning.startswith("扫描件：1 页经 OCR 识别") for warning in report.warnings)
    assert parse_status(report) == "partial"
