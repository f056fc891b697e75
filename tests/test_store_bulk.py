"""`nianbao ingest --workers N`: parsing in worker processes stores exactly what one process stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "store"


@pytest.fixture
def reports_folder(tmp_path: Path) -> Path:
    """The three seed reports twice over (in two sub-folders) and a page that is not a report."""
    folder = tmp_path / "reports"
    for part in ("a", "b"):
        (folder / part).mkdir(parents=True)
        for name in ("guxian_hrss_2021.txt", "qianjin_hrss_2022.txt", "zezhou_hrss_2023.txt"):
            shutil.copy(FIXTURES / name, folder / part / name)
    (folder / "notice.txt").write_text("关于开展安全生产检查的通知\n请各单位做好准备。", encoding="utf-8")
    return folder


def _contents(db_path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(db_path)
    tables = {
        "reports": "SELECT agency, year, version, is_current, parsed, text, content_hash FROM reports ORDER BY id",
        "cells": "SELECT report_id, key, number, state, raw, unit FROM report_values ORDER BY report_id, key",
        "documents": "SELECT url, status, error, sha256 FROM documents ORDER BY url",
    }
    contents = {name: connection.execute(sql).fetchall() for name, sql in tables.items()}
    connection.close()
    return contents


def test_store_bulk_workers_store_what_one_process_stores(reports_folder: Path, tmp_path: Path) -> None:
    results = {}
    for workers in ("1", "2"):
        db_path = tmp_path / f"w{workers}" / "nianbao.db"
        result = CliRunner().invoke(main, ["ingest", str(reports_folder), "--db", str(db_path), "--county", "140525",
                                           "--workers", workers])
        assert result.exit_code == 1, result.stderr  # the notice is not a report
        # The second copy of each report is the same report listed at a second address.
        assert "新增 3，更新 0，未变 3，失败 1" in result.stderr
        assert "notice.txt: not_a_report" in result.stderr
        results[workers] = _contents(db_path)
    assert results["1"] == results["2"]
    assert len(results["2"]["reports"]) == 3
    again = CliRunner().invoke(main, ["ingest", str(reports_folder), "--db", str(tmp_path / "w2" / "nianbao.db"),
                                      "--workers", "2"])
    assert "新增 0，更新 0，未变 6，失败 1" in again.stderr
