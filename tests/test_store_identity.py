"""The store keeps where a report's agency came from; a doubtful agency is a warning and a partial report."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from db.store import Store
from nianbao.cli import main
from samples.generate import random_report
from samples.identity_portals import office_layout
from samples.layout import Layout, Text
from samples.render import html_body
from samples.render_docx import render_docx

NO_NAME = "根据《中华人民共和国政府信息公开条例》规定，现将本单位2023年政府信息公开工作年度报告如下："


def unsigned(agency: str) -> Layout:
    """A 2023 report that never names its author in its text: 本单位 in the opening, only a date below."""
    printed = office_layout(random_report(random.Random(5), agency, 2023, "2021"), NO_NAME)
    printed.blocks = [b for b in printed.blocks if not (isinstance(b, Text) and b.text == agency)]
    return printed


def page(body: str, content_source: str) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>政府信息公开年报</title>'
            f'<meta name="ContentSource" content="{content_source}"></head>'
            f'<body><div class="TRS_Editor">{body}</div></body></html>').encode()


def test_agency_named_only_by_content_source_is_stored_partial_with_a_warning(tmp_path: Path) -> None:
    with Store.open(tmp_path / "nianbao.db") as store:
        store.upsert_county("140525", "泽州县", "http://www.zezhou.gov.cn/")
        outcome = store.ingest(page(html_body(unsigned("泽州县司法局")), "县司法局"),
                               url="http://www.zezhou.gov.cn/zfxxgk/nb/t20240125_1.html", county_code="140525")
        assert outcome.status == "new"
        row = store.db.execute("SELECT agency, year, parse_status, agency_source, agency_confidence, year_source, "
                               "warnings FROM reports").fetchone()
    agency, year, status, source, confidence, year_source, warnings = row
    # 县司法局 in ContentSource, with the crawl's county in front; the year from the 统计期限 and the sentence.
    assert (agency, year, source) == ("泽州县司法局", 2023, "ContentSource")
    assert confidence < 0.6
    assert status == "partial"
    assert year_source == "opening"
    assert any(w.startswith("年报单位“泽州县司法局”把握不足") for w in json.loads(warnings))


def test_ingest_reads_the_agency_from_the_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    printed = unsigned("泽州县民政局")
    printed.title = ""  # no title in the document's properties either: only its file name names it
    (folder / "泽州县民政局2023年政府信息公开工作年度报告.docx").write_bytes(render_docx(printed))
    result = CliRunner().invoke(main, ["ingest", str(folder), "--county", "140525",
                                       "--db", str(tmp_path / "nianbao.db")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "nianbao.db") as db:
        row = db.execute("SELECT agency, year, agency_source, parse_status FROM reports").fetchone()
    assert row == ("泽州县民政局", 2023, "file_name", "parsed")


def test_document_naming_no_agency_anywhere_is_failed_with_the_reason(tmp_path: Path) -> None:
    with Store.open(tmp_path / "nianbao.db") as store:
        outcome = store.ingest(page(html_body(unsigned("泽州县民政局")), ""), url="http://a.gov.cn/t1.html")
    assert outcome.status == "failed"
    assert outcome.error is not None and "未能确定年报单位" in outcome.error


def test_parse_with_county_completes_a_bare_name_and_says_where_it_came_from(tmp_path: Path) -> None:
    seed = (Path(__file__).parent / "golden" / "seed_000" / "input.txt").read_text(encoding="utf-8").splitlines()
    assert seed[:2] == ["古县人力资源和社会保障局", "2021年政府信息公开工作年度报告"]
    opening = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"
               "现发布《县人社局2021年政府信息公开工作年度报告》。")
    report = tmp_path / "report.txt"
    report.write_text("\n".join([opening, *seed[2:]]), encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", "--county", "古县", str(report)])
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{report}: 古县人社局（依据首段，可信度") and " · 2021年 · " in line
    assert "把握不足" not in result.stdout
