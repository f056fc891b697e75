"""Reports from before the 2019 national template: a 年报 column lists them too (2008–2018), so nianbao reads
their agency and year and stores them as template `pre2019`, without tables to check, instead of failing.

The fixture is a department's 2017 report as a county office posted it: a Word "save as web page" in GB2312,
with the province's old statistics table (指标名称 | 计量单位 | 统计数) and a signature and date at the end."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from db.browse import make_datasette
from db.store import Store
from nianbao.cli import main
from parsers import parse_file
from parsers.errors import NotAReport

FIXTURE = Path(__file__).parent / "fixtures" / "pre_template" / "zezhou_finance_2017.htm"
COUNTY = "140525"  # 泽州县


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_prints_agency_year_and_no_missing_tables() -> None:
    code, out, err = _run("parse", str(FIXTURE))
    assert code == 0, err
    assert "泽州县财政局" in out and "2017年" in out
    assert "2019年以前的年报（没有统一统计表）" in out
    assert "发布 2018-03-20" in out
    assert "缺少表格" not in out
    assert "解析成功 1 份，失败 0 份" in err


def test_json_has_no_cells_and_the_closing_date() -> None:
    _, out, _ = _run("parse", "--json", str(FIXTURE))
    report = json.loads(out.splitlines()[0])
    assert (report["agency"], report["year"], report["template"]) == ("泽州县财政局", 2017, "pre2019")
    assert report["kind"] == "department"
    assert report["published_on"] == "2018-03-20"
    # The old table's rows (主动公开政府信息数 86 条, 受理申请数 2 件) have no keys: they stay in the text only.
    assert report["values"] == {}
    assert not any("模板" in warning or "不是模板中的行" in warning for warning in report["warnings"])


def _as_year(tmp_path: Path, year: int) -> Path:
    """The same page, its title, statistics period and date moved to another year (as the next report would be)."""
    text = FIXTURE.read_bytes().decode("gb2312")
    text = text.replace("2018</span><span", f"{year + 1}</span><span").replace("2017", str(year))
    path = tmp_path / f"zezhou_finance_{year}.htm"
    path.write_bytes(text.encode("gb2312"))
    return path


def test_a_2019_report_in_the_old_form_is_flagged(tmp_path: Path) -> None:
    """From 2019 on the template is compulsory: the old form is not passed off as a report without tables."""
    report = parse_file(_as_year(tmp_path, 2019))
    assert (report.year, report.template) == (2019, "unknown")
    assert "统计表与2019年版、2021年版模板都不相符" in report.warnings


def test_a_2019_report_without_any_table_is_not_read(tmp_path: Path) -> None:
    page = _as_year(tmp_path, 2019)
    text = page.read_bytes().decode("gb2312")
    page.write_bytes(_without_table(text).encode("gb2312"))
    with pytest.raises(NotAReport, match="没有找到统计表"):
        parse_file(page)


def _without_table(text: str) -> str:
    return text[:text.index("<table")] + text[text.index("</table>") + len("</table>"):]


def test_an_old_page_that_is_no_annual_report_is_not_a_report(tmp_path: Path) -> None:
    """Only a title naming a 信息公开 annual report makes an old page without tables a pre2019 report."""
    notice = tmp_path / "notice.htm"
    text = FIXTURE.read_bytes().decode("gb2312").replace("政府信息公开工作年度报告", "预算公开工作情况")
    notice.write_bytes(_without_table(text).encode("gb2312"))
    with pytest.raises(NotAReport):
        parse_file(notice)


def test_stored_as_parsed_and_checked_only_for_what_applies(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURE, folder)
    db_path = tmp_path / "nianbao.db"
    code, _, err = _run("ingest", str(folder), "--db", str(db_path), "--county", COUNTY)
    assert code == 0, err
    code, out, err = _run("check", "--db", str(db_path), "--as-of", "2018-06-01", "--json")
    assert code == 0, err
    rules = {json.loads(line)["rule"] for line in out.splitlines()}
    # No table, section, template or deadline rule of the 2019 条例 is applied to a 2017 report.
    assert not rules & {"missing_table", "missing_section", "missing_row", "unknown_template", "outdated_template",
                        "late", "blank_cell"}
    with Store.open(db_path) as store:
        row = store.db.execute("SELECT agency, year, template, parse_status FROM reports").fetchone()
    assert tuple(row) == ("泽州县财政局", 2017, "pre2019", "parsed")


def test_a_pre_template_report_counts_as_published(tmp_path: Path) -> None:
    """The department published for 2016 and 2017: as of mid-2018 nothing is missing; without 2017 it is."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(_as_year(tmp_path, 2016), folder)
    db_path = tmp_path / "nianbao.db"
    assert _run("ingest", str(folder), "--db", str(db_path), "--county", COUNTY)[0] == 0

    def missing() -> set[tuple[str, int]]:
        _, out, _ = _run("check", "--db", str(db_path), "--as-of", "2018-06-01", "--json")
        found = [json.loads(line) for line in out.splitlines()]
        return {(f["agency"], f["year"]) for f in found if f["rule"] == "missing_report"}

    assert ("泽州县财政局", 2017) in missing()
    shutil.copy(FIXTURE, folder)
    assert _run("ingest", str(folder), "--db", str(db_path), "--county", COUNTY)[0] == 0
    assert ("泽州县财政局", 2017) not in missing()


def test_report_page_says_there_is_no_national_table(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURE, folder)
    db_path = tmp_path / "nianbao.db"
    assert _run("ingest", str(folder), "--db", str(db_path), "--county", COUNTY)[0] == 0
    datasette = make_datasette(db_path, data_dir=tmp_path / "data")
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(datasette.invoke_startup())
        response = loop.run_until_complete(datasette.client.get("/nianbao/reports/1"))
    finally:
        loop.close()
    assert response.status_code == 200
    page = lxml.html.fromstring(response.text)
    text = page.text_content()
    assert "泽州县财政局" in text and "2019年以前的年报：没有全国统一的统计表" in text
    assert "完整" in text
    assert not page.xpath('//table[contains(@class, "nb-table")]')  # no empty template grid
