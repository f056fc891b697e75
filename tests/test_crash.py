"""kill -9 in the middle of `nianbao ingest` and `nianbao check`: nothing half-written, the next run finishes the work.

Real subprocesses on a real SQLite file; the kill comes after progress is seen in the database.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from db.store import Store
from parsers import parse_file
from parsers.report import ParsedReport
from samples.generate import random_report
from samples.render import render

DEPARTMENTS = ("教育局", "公安局", "民政局", "司法局", "财政局", "自然资源局", "生态环境局", "交通运输局", "水利局",
               "农业农村局", "商务局", "卫生健康局", "审计局", "统计局", "林业局", "信访局", "档案局", "体育局")


def nianbao(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from nianbao.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count(db_path: Path, sql: str) -> int:
    """A count read as Datasette reads: its own read-only connection, while the writer runs."""
    if not db_path.exists():
        return 0
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0
    finally:
        connection.close()


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 60,
              poll: float = 0.02) -> None:
    """SIGKILL the process as soon as ready() is true; fails if it finished first."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"finished before the kill: {process.stderr.read().decode()[-2000:]}"
        assert time.monotonic() < deadline, "no progress seen"
        time.sleep(poll)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from nianbao.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def reports_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """240 generated reports as text files: 20 counties' departments, 2022 and 2023."""
    folder = tmp_path_factory.mktemp("reports")
    rng = random.Random(11)
    for county in range(20):
        for department in DEPARTMENTS[:6]:
            for year in (2022, 2023):
                agency = f"样本{county:02d}县{department}"
                report = random_report(rng, agency, year, "2021", consistent=rng.random() > 0.2)
                (folder / f"{county:02d}-{department}-{year}.txt").write_bytes(render(report, "text_tabs"))
    return folder


def contents(db_path: Path) -> dict[str, list[tuple]]:
    """What a user reads back, without clock times."""
    connection = sqlite3.connect(db_path)
    queries = {
        "reports": """SELECT d.url, r.agency, r.year, r.version, r.is_current, r.parsed, r.text, r.content_hash
                      FROM reports r JOIN documents d ON d.id = r.document_id ORDER BY d.url""",
        "cells": """SELECT d.url, v.key, v.number, v.state, v.raw, v.unit FROM report_values v
                    JOIN reports r ON r.id = v.report_id JOIN documents d ON d.id = r.document_id
                    ORDER BY d.url, v.key""",
        "documents": "SELECT url, status, error, sha256, size FROM documents ORDER BY url",
        "files": "SELECT d.url, v.sha256, v.path FROM document_versions v JOIN documents d ON d.id = v.document_id "
                 "ORDER BY d.url",
        "findings": """SELECT fingerprint, rule, severity, county_code, agency, year, keys, expected, found, message,
                       resolved_at IS NULL FROM findings ORDER BY fingerprint""",
    }
    result = {name: connection.execute(sql).fetchall() for name, sql in queries.items()}
    connection.close()
    return result


def assert_sound(db_path: Path) -> None:
    """SQLite's integrity_check and foreign_key_check find nothing."""
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


def assert_whole(db_path: Path, data_dir: Path) -> None:
    """Sound; every report has all its cells (its document parsed again); every kept version has its file."""
    assert_sound(db_path)
    connection = sqlite3.connect(db_path)
    rows = connection.execute(
        """SELECT r.id, v.path, (SELECT count(*) FROM cell_values c WHERE c.report_id = r.id)
           FROM reports r JOIN document_versions v ON v.document_id = r.document_id AND v.sha256 = r.sha256"""
    ).fetchall()
    assert len(rows) == connection.execute("SELECT count(*) FROM reports").fetchone()[0]
    for report_id, path, cells in rows:
        assert (data_dir / path).is_file(), path
        assert cells == len(parse_file(data_dir / path).values), report_id
    for (path,) in connection.execute("SELECT path FROM document_versions"):
        assert (data_dir / path).is_file(), path
    connection.close()


@pytest.fixture(scope="module")
def uninterrupted(reports_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same folder ingested and checked without a kill."""
    db_path = tmp_path_factory.mktemp("uninterrupted") / "nianbao.db"
    assert run("ingest", str(reports_folder), "--db", str(db_path), "--county", "990001").returncode == 0
    assert run("check", "--db", str(db_path), "--as-of", "2025-06-01").returncode in (0, 1)
    return db_path


def test_crash_ingest_killed_midway_resumes_to_same_state(reports_folder: Path, uninterrupted: Path,
                                                          tmp_path: Path) -> None:
    db_path = tmp_path / "nianbao.db"
    process = nianbao("ingest", str(reports_folder), "--db", str(db_path), "--county", "990001", "--workers", "1")
    kill_when(process, lambda: count(db_path, "SELECT count(*) FROM reports") >= 30)
    stored = count(db_path, "SELECT count(*) FROM reports")
    assert 30 <= stored < 240
    assert_whole(db_path, tmp_path)
    finished = run("ingest", str(reports_folder), "--db", str(db_path), "--county", "990001")
    assert finished.returncode == 0, finished.stderr
    assert f"新增 {240 - stored}，" in finished.stderr
    assert_whole(db_path, tmp_path)
    assert run("check", "--db", str(db_path), "--as-of", "2025-06-01").returncode in (0, 1)
    assert contents(db_path) == contents(uninterrupted)


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,400 generated reports stored directly (no files), so that a check runs for a few seconds."""
    db_path = tmp_path_factory.mktemp("large") / "nianbao.db"
    rng = random.Random(5)
    with Store.open(db_path) as store:
        for county in range(100):
            for department in DEPARTMENTS[:12]:
                for year in (2022, 2023):
                    agency = f"样本{county:03d}县{department}"
                    sample = random_report(rng, agency, year, "2021", consistent=rng.random() > 0.2)
                    report = ParsedReport(source="generated", agency=agency, year=year, template="2021",
                                          published_on=sample.published_on.isoformat(),
                                          tables=["active", "requests", "reviews"])
                    for key, value in sample.values.items():
                        report.set_cell(key, "" if value is None else str(value),
                                        "blank" if value is None else "number", value, None)
                    store.ingest_parsed(report, url=f"http://{county:03d}.example.gov.cn/{year}/{department}",
                                        county_code=f"99{county:04d}")
    return db_path


def test_crash_check_killed_midway_resumes_to_same_state(large_store: Path, tmp_path: Path) -> None:
    uninterrupted, db_path = tmp_path / "uninterrupted.db", tmp_path / "nianbao.db"
    shutil.copy(large_store, uninterrupted)
    shutil.copy(large_store, db_path)
    assert run("check", "--db", str(uninterrupted), "--as-of", "2025-06-01").returncode in (0, 1)
    expected = contents(uninterrupted)
    assert expected["findings"]
    wal = db_path.with_name(db_path.name + "-wal")
    process = nianbao("check", "--db", str(db_path), "--as-of", "2025-06-01")
    # The check writes its findings in one transaction at the end: kill as soon as it starts writing.
    kill_when(process, lambda: wal.exists() and wal.stat().st_size > 0, poll=0.002)
    findings = count(db_path, "SELECT count(*) FROM findings")
    assert findings in (0, len(expected["findings"]))  # all or nothing
    assert_sound(db_path)
    assert contents(db_path)["cells"] == expected["cells"]
    finished = run("check", "--db", str(db_path), "--as-of", "2025-06-01")
    assert finished.returncode in (0, 1), finished.stderr
    assert contents(db_path) == expected
