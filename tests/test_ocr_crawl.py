"""A crawl that meets an image-only report stores it as needs_ocr; the OCR stage (`nianbao ocr`) makes it a report
like any other. The portal is served on 127.0.0.1; the scan is the fixture report's section 四 with a title."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_server import Inbox
from test_crawl import crawl_one_portal
from test_ocr_scan import _reviews_page, _without_extra
from test_scheduler import write_config

from db import runs
from db.store import Store
from nianbao.cli import main
from samples.portal_server import serve
from samples.portals import Resource, plain_portal
from samples.scan import image_pdf


def test_a_crawled_scan_is_stored_readable_after_the_ocr_stage(tmp_path: Path) -> None:
    portal = plain_portal()
    # The county government's report is published as a scan (图片版 PDF).
    scan = image_pdf([_reviews_page("5", "古县人民政府2023年政府信息公开工作年度报告")])
    portal.resources["/files/gx2023.pdf"] = Resource(scan, "application/pdf")
    summary = crawl_one_portal(portal, tmp_path)
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


@pytest.mark.slow
def test_the_scheduler_reads_the_scans_a_crawl_stored_or_says_how_many_wait(tmp_path: Path, inbox: Inbox,
                                                                           smtp_port: int) -> None:
    portal = plain_portal()
    portal.resources["/files/gx2023.pdf"] = Resource(
        image_pdf([_reviews_page("5", "古县人民政府2023年政府信息公开工作年度报告")]), "application/pdf")
    server = serve([portal])
    try:
        config = write_config(tmp_path, smtp_port, f"code,name,url\n{portal.code},{portal.name},{server.url(portal)}\n")
        crawl_settings = f'download_delay = 0\nautothrottle = false\nallowed_private_hosts = ["{server.host(portal)}"]'
        config.write_text(config.read_text("utf-8").replace("allow_private_networks = true", crawl_settings), "utf-8")
        # A machine without the OCR extra: the cycle goes on, and the ocr job says what waits and what to do.
        without = _without_extra(tmp_path, "--config", str(config), "schedule", "--once")
        assert without.stdout == "采集：成功\nOCR 识别：成功\n检查：成功\n发送通知：成功\n", without.stderr
        # With it: the next cycle reads the scan.
        result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once"])
        assert result.output == "采集：成功\nOCR 识别：成功\n检查：成功\n发送通知：成功\n"
    finally:
        server.close()
    database = tmp_path / "data" / "nianbao.db"
    with Store.open(database) as store:
        ocr_runs = [json.loads(run["counts"]) for run in runs.job_runs(store.db, "ocr")]
    assert ocr_runs[0] == {"pending": 1, "note": "1 份扫描件或图片版年报等待 OCR 识别：安装 OCR 扩展（pip install "
                                                 "'nianbao[ocr]'）后运行 nianbao ocr，或等下次定时任务"}
    assert ocr_runs[1] == {"pending": 1, "stored": 1, "failed": 0}
    with sqlite3.connect(database) as connection:
        status, = connection.execute("SELECT status FROM documents WHERE url LIKE '%/files/gx2023.pdf'").fetchone()
        total, = connection.execute(
            "SELECT number FROM cell_values JOIN cells ON cells.id = cell_values.cell JOIN reports r "
            "ON r.id = cell_values.report_id WHERE r.agency = '古县人民政府' AND r.is_current = 1 "
            "AND cells.key = 'reviews.review.total'").fetchone()
    assert (status, total) == ("parsed", 5)
