"""Reports whose tables are pictures: an article page with the text in HTML and each statistics table pasted as
a screenshot (tests/fixtures/scan_html: the report of tests/fixtures/scan, whose values were typed by hand into
its Word document; the screenshots are that document printed by LibreOffice, shown at 120 DPI, cut by table and
saved as JPEG at quality 75: 表二; 表三 to the page end; the rest of 表三 with 四 below it)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_crawl import crawl_one_portal

from db.report_rows import parse_status
from db.store import Store
from nianbao.cli import main
from parsers.readers.web_archive import read_archive
from parsers.report import ParsedReport
from samples.portals import Resource, plain_portal

FIXTURE = Path(__file__).parent / "fixtures" / "scan_html"
EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "scan" / "expected.json").read_text(encoding="utf-8"))
PICTURES = sorted(FIXTURE.glob("W*.jpg"))
TITLE = "清源县市场监督管理局2024年政府信息公开工作年度报告"


def wrong_cells(report: ParsedReport) -> dict[str, tuple[object, object]]:
    """Every cell typed into the report that reads otherwise (read, typed)."""
    return {key: (report.values.get(key, "missing"), typed) for key, typed in EXPECTED["values"].items()
            if report.values.get(key, "missing") != typed}


@pytest.mark.slow
def test_a_crawled_picture_report_is_stored_with_its_pictures_and_read_by_the_ocr_stage(tmp_path: Path) -> None:
    portal = plain_portal(name="清源县")
    folder = "/xxgk/nb/2025/"
    portal.resources[folder + "t20250120_394857.html"] = Resource((FIXTURE / "article.html").read_bytes())
    for picture in PICTURES:
        portal.resources[folder + picture.name] = Resource(picture.read_bytes(), "image/jpeg")
    listing = portal.resources["/xxgk/nb/list?page=2"]
    listing.body = listing.body.replace(
        b"</ul>", f'<li><a href="{folder}t20250120_394857.html">{TITLE}</a><span>2025-01-20</span></li></ul>'
        .encode(), 1)
    summary = crawl_one_portal(portal, tmp_path)
    assert summary.runs
    database = tmp_path / "nianbao.db"
    query = ("SELECT d.status, d.error, v.path FROM documents d JOIN document_versions v ON v.document_id = d.id "
             "WHERE d.url LIKE '%t20250120_394857.html'")
    with sqlite3.connect(database) as connection:
        status, error, path = connection.execute(query).fetchone()
    # Stored without reading (a crawl does not OCR), the page and its three screenshots kept as one document.
    assert status == "unsupported"
    assert error.startswith("needs_ocr: ") and "正文有 3 张图片、没有表格：图片版年报，需要 OCR 识别" in error
    assert error.endswith("已排入 OCR 识别队列（nianbao ocr）")
    page, _, parts = read_archive((tmp_path / path).read_bytes())
    assert page == (FIXTURE / "article.html").read_bytes()
    kept = sorted(parts.values(), key=len)
    assert kept == sorted((picture.read_bytes() for picture in PICTURES), key=len)  # not the page's icons

    result = CliRunner().invoke(main, ["ocr", "--db", str(database)])
    assert result.exit_code == 0, result.output
    assert "待识别 1 份，已入库 1 份，失败 0 份" in result.stderr
    with sqlite3.connect(database) as connection:
        status, versions = connection.execute(
            "SELECT status, (SELECT count(*) FROM document_versions WHERE document_id = documents.id) "
            "FROM documents WHERE url LIKE '%t20250120_394857.html'").fetchone()
    assert (status, versions) == ("parsed", 1)
    with Store.open(database, tmp_path) as store:
        [stored] = [stored for stored in store.current_reports() if stored.agency == EXPECTED["agency"]]
    report = stored.report
    assert (report.agency, report.year, report.template) == (EXPECTED["agency"], EXPECTED["year"], "2021")
    assert report.tables == ["active", "requests", "reviews"]
    assert wrong_cells(report) == {}
    assert report.uncertain == []
    assert parse_status(report) == "parsed"
    # The text came from the page itself: sections 五 and 六 as typed.
    assert "政策解读形式较为单一" in report.text and "本年度未收取信息处理费" in report.text


def _saved_page(folder: Path) -> Path:
    """The article as a browser's Save Page As… leaves it: the page, its pictures in `<name>_files` beside it,
    the addresses rewritten to point there."""
    page = folder / f"{TITLE}.html"
    files = folder / f"{TITLE}_files"
    files.mkdir()
    html = (FIXTURE / "article.html").read_text(encoding="utf-8")
    for picture in PICTURES:
        shutil.copy(picture, files / picture.name)
    html = re.sub(r'src="/images/loading.gif" data-src="\./', f'src="./{TITLE}_files/', html)
    html = html.replace('src="./W0', f'src="./{TITLE}_files/W0')
    page.write_text(html, encoding="utf-8")
    return page


@pytest.mark.slow
def test_a_page_saved_with_its_pictures_folder_is_parsed_by_ocr(tmp_path: Path) -> None:
    page = _saved_page(tmp_path)
    result = CliRunner().invoke(main, ["parse", str(page), "--json"])
    assert result.exit_code == 0, result.output
    report = ParsedReport.from_json(json.loads(result.stdout))
    assert (report.agency, report.year, report.ocr) == (EXPECTED["agency"], EXPECTED["year"], True)
    assert wrong_cells(report) == {}
    assert report.uncertain == []
    assert "图片版年报：3 张图片经 OCR 识别" in report.warnings


def test_a_page_saved_without_its_pictures_says_they_are_needed(tmp_path: Path) -> None:
    page = tmp_path / "年报.html"
    shutil.copy(FIXTURE / "article.html", page)
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert result.exit_code == 1
    assert f"错误：{page}: 正文有 3 张图片、没有表格：图片版年报，需要 OCR 识别（图片须与网页一同保存）" \
        in result.output
