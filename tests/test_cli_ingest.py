"""`nianbao ingest` and `nianbao export` as a user runs them, on a real database file."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "store"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def reports_folder(tmp_path: Path) -> Path:
    """Three seed reports, one of them in a sub-folder, and a page that is not a report."""
    folder = tmp_path / "reports"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(FIXTURES / "guxian_hrss_2021.txt", folder)
    shutil.copy(FIXTURES / "qianjin_hrss_2022.txt", folder)
    shutil.copy(FIXTURES / "zezhou_hrss_2023.txt", folder / "2023")
    (folder / "2023" / "notice.txt").write_text("关于开展安全生产检查的通知\n请各单位做好准备。", encoding="utf-8")
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "out" / "nianbao.db"


def test_cli_ingest_summary_and_failure_exit_code(reports_folder: Path, db_path: Path) -> None:
    code, _, err = _run("ingest", str(reports_folder), "--db", str(db_path), "--county", "140525")
    assert code == 1
    assert "新增 3，更新 0，未变 0，失败 1" in err
    assert "notice.txt: not_a_report" in err
    code, _, err = _run("ingest", str(reports_folder / "2023" / "zezhou_hrss_2023.txt"), "--db", str(db_path))
    assert code == 0
    assert "新增 0，更新 0，未变 1，失败 0" in err


def test_cli_ingest_changed_file_counts_changed(reports_folder: Path, db_path: Path) -> None:
    target = reports_folder / "2023" / "zezhou_hrss_2023.txt"
    assert _run("ingest", str(target), "--db", str(db_path))[0] == 0
    # The portal corrects the date line of the report: 2024年1月24日 → 2024年1月25日.
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("2024年1月24日", "2024年1月25日"), encoding="utf-8")
    code, _, err = _run("ingest", str(target), "--db", str(db_path))
    assert code == 0
    assert "新增 0，更新 1" in err
    _, out, _ = _run("export", "--db", str(db_path))
    [report] = [json.loads(line) for line in out.splitlines()]
    assert report["published_on"] == "2024-01-25"


def test_cli_export_json_lines_in_parse_shape(reports_folder: Path, db_path: Path) -> None:
    _run("ingest", str(reports_folder), "--db", str(db_path), "--county", "140525")
    code, out, err = _run("export", "--db", str(db_path), "--year", "2023")
    assert code == 0
    [report] = [json.loads(line) for line in out.splitlines()]
    assert {"agency", "year", "template", "published_on", "source", "values", "raw", "warnings"} <= set(report)
    assert report["agency"] == "泽州县人力资源和社会保障局"
    assert report["county_code"] == "140525"
    assert report["source_url"] == (reports_folder / "2023" / "zezhou_hrss_2023.txt").resolve().as_uri()
    assert report["values"]["reviews.review.total"] == 2
    assert "已导出 1 份报告" in err
    _, out, _ = _run("export", "--db", str(db_path), "--county", "999999")
    assert out == ""


def test_cli_export_csv_one_wide_row_per_report(reports_folder: Path, db_path: Path) -> None:
    _run("ingest", str(reports_folder), "--db", str(db_path), "--county", "140525")
    code, out, _ = _run("export", "--db", str(db_path), "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["agency"], r["year"], r["template"]) for r in rows] == [
        ("前进区人力资源和社会保障局", "2022", "2019"),
        ("古县人力资源和社会保障局", "2021", "2021"),
        ("泽州县人力资源和社会保障局", "2023", "2021"),
    ]
    zezhou = rows[2]
    assert zezhou["reviews.litigation_direct.upheld"] == "9"
    assert zezhou["reviews.litigation_direct.total"] == "17"
    assert zezhou["active.coercion.decisions"] == ""  # the row is missing from this report: blank, not 0
    assert "active.procurement.amount" in zezhou  # 2019-template keys have columns too


def test_cli_export_without_database_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = _run("export", "--db", str(tmp_path / "none.db"))
    assert code == 3
    assert "none.db: 这里没有数据库" in err
    assert not (tmp_path / "none.db").exists()
