"""A crawl that meets an image-only report stores it as needs_ocr; the OCR stage (`nianbao ocr`) makes it a report
like any other. The portal is served on 127.0.0.1; the scan is the fixture report's section 四 with a title."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from test_crawl import only_fixture_hosts, write_sites
from test_ocr_scan import _reviews_page

from crawler.run import crawl
from nianbao.cli import main
from samples.portal_server import serve
from samples.portals import Resource, plain_portal
from samples.scan import image_pdf


def test_a_crawled_scan_is_stored_readable_after_the_ocr_stage(tmp_path: Path) -> None:
    portal = plain_portal()
    # The county government's report is published as a scan (图片版 PDF).
    scan = image_pdf([_reviews_page("5", "古县人民政府2023年政府信息公开工作年度报告")])
    portal.resources["/files/gx2023.pdf"] = Resource(scan, "application/pdf")
    server = serve([portal])
    try:
        summary = crawl(write_sites(tmp_path / "sites.csv", server), tmp_path / "nianbao.db", tmp_path,
                        overrides=only_fixture_hosts(server))
    finally:
        server.close()
    assert summary.runs
    database = tmp_path / "nianbao.db"
    with sqlite3.connect(database) as connection:
        status, error = connection.execute(
            "SELECT status, error FROM documents WHERE url LIKE '%/files/gx2023.pdf'").fetchone()
        agencies = {row[0] for row in connection.execute("SELECT agency FROM reports")}
    assert status == "unsupported"
    assert error.startswith("needs_ocr: ") and error.endswith("已排入 OCR 识别队列（nianbao ocr）")
    assert "古县人民政府" not in agencies

    result = CliRunner().invoke(main, ["ocr", "--db", str(database)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        status, = connection.execute("SELECT status FROM documents WHERE url LIKE '%/files/gx2023.pdf'").fetchone()
        year, reviews = connection.execute(
            "SELECT year, (SELECT group_concat(number) FROM cell_values JOIN cells ON cells.id = cell_values.cell "
            "             WHERE report_id = reports.id AND cells.key LIKE 'reviews.review.%' ORDER BY cells.id) "
            "FROM reports WHERE agency = '古县人民政府' AND is_current = 1").fetchone()
    assert status == "parsed"
    assert year == 2023
    assert reviews == "3,1,0,1,5"
    status_output = CliRunner().invoke(main, ["status", "--db", str(database)])
    assert status_output.exit_code == 0, status_output.output
