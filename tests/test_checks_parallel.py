"""`nianbao check --workers N`: counties checked in worker processes give the same findings, in the same order."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from checks_factory import consistent_report, plant
from click.testing import CliRunner

from checks.service import county_shares, run_checks, start_method
from checks.subject import CheckSettings
from db.store import Store
from nianbao.cli import main

COUNTIES = {"140525": "泽州县", "140521": "沁水县", "140522": "阳城县"}


def build_store(db_path: Path) -> Path:
    """Three counties with two years of reports each, defects planted in some, and a report without a county."""
    with Store.open(db_path) as store:
        for code, name in COUNTIES.items():
            store.upsert_county(code, name, f"http://{code}.example.gov.cn/")
            for year in (2022, 2023):
                for agency in ("教育局", "财政局", "卫生健康局"):
                    report = consistent_report(year, agency=f"{name}{agency}")
                    if code == "140521" and agency == "财政局" and year == 2023:
                        plant(report, "requests.granted.total", 3)  # 自然人2 ≠ 总计3
                    if code == "140522" and agency == "教育局":
                        plant(report, "reviews.review.total", 5)  # 维持1 + 尚未审结1 ≠ 总计5
                    store.ingest_parsed(report, url=f"http://{code}.example.gov.cn/{year}/{agency}.html",
                                        county_code=code)
        loose = consistent_report(2023, agency="某单位")
        plant(loose, "requests.received.total", None)
        store.ingest_parsed(loose, url="http://unknown.example/report.html", county_code=None)
    return db_path


def check_json(db_path: Path, workers: int) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--as-of", "2024-06-01", "--json",
                                       "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def stored_findings(db_path: Path) -> list[tuple]:
    with Store.open(db_path) as store:
        return [tuple(row) for row in store.db.execute(
            "SELECT fingerprint, rule, county_code, agency, year, report_id, keys, expected, found, message, url "
            "FROM findings ORDER BY id")]


@pytest.fixture
def two_stores(tmp_path: Path) -> tuple[Path, Path]:
    one = build_store(tmp_path / "one" / "nianbao.db")
    two = tmp_path / "年报 #2?" / "nianbao.db"  # workers open it by URI: characters a URI must escape
    two.parent.mkdir()
    shutil.copy(one, two)
    return one, two


def test_two_workers_find_what_one_finds_in_the_same_order(two_stores: tuple[Path, Path]) -> None:
    one, two = two_stores
    serial, parallel = check_json(one, 1), check_json(two, 2)
    assert parallel == serial
    assert stored_findings(two) == stored_findings(one)
    found = {(f["rule"], f["county"], f["agency"], f["year"]) for f in serial}
    assert ("row_total", "140521", "沁水县财政局", 2023) in found
    assert ("review_total", "140522", "阳城县教育局", 2022) in found
    assert ("review_total", "140522", "阳城县教育局", 2023) in found
    assert ("blank_cell", None, "某单位", 2023) in found


def test_two_workers_started_beside_another_thread_find_the_same(two_stores: tuple[Path, Path]) -> None:
    """As in `nianbao schedule`, whose jobs run on a thread: the workers are then spawned, not forked."""
    one, two = two_stores
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert start_method() == "spawn"
        with Store.open(two) as store:
            parallel = run_checks(store.db, CheckSettings(), as_of=date(2024, 6, 1), workers=2)
    finally:
        stop.set()
    with Store.open(one) as store:
        serial = run_checks(store.db, CheckSettings(), as_of=date(2024, 6, 1), workers=1)
    assert [f.to_json() for f in parallel.findings] == [f.to_json() for f in serial.findings]
    assert stored_findings(two) == stored_findings(one)


def test_two_workers_are_really_used(two_stores: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    _, two = two_stores
    caplog.set_level(logging.INFO, logger="checks.service")
    with Store.open(two) as store:
        run = run_checks(store.db, CheckSettings(), as_of=date(2024, 6, 1), workers=2)
    assert "in 2 processes" in caplog.text
    assert run.reports == 19  # 3 counties × 3 agencies × 2 years, and the report without a county


def test_county_shares_keep_county_order_and_cover_every_county() -> None:
    counties = {None: 1, "140521": 50, "140522": 10, "140523": 10, "140524": 30, "140525": 5}
    shares = county_shares(counties, 3)
    assert [county for share in shares for county in share] == list(counties)
    assert len(shares) == 3
    assert county_shares({"140525": 7}, 4) == [["140525"]]


def _kill_first_worker(stop: threading.Event) -> None:
    """SIGKILL the first check worker this test process starts (spawned: another thread is running)."""
    while not stop.is_set():
        for task in Path("/proc/self/task").glob("*/children"):
            for pid in task.read_text().split():
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes()
                except FileNotFoundError:
                    continue
                if b"spawn_main" in command:
                    os.kill(int(pid), signal.SIGKILL)
                    return
        time.sleep(0.01)


def test_a_worker_killed_midway_is_one_clear_error_and_nothing_is_written(two_stores: tuple[Path, Path]) -> None:
    _, two = two_stores
    before = stored_findings(two)
    stop = threading.Event()
    killer = threading.Thread(target=_kill_first_worker, args=(stop,), daemon=True)
    killer.start()
    try:
        result = CliRunner().invoke(main, ["check", "--db", str(two), "--as-of", "2024-06-01", "--workers", "2"])
    finally:
        stop.set()
    assert result.exit_code == 1, result.output
    assert "错误：检查子进程异常退出" in result.output
    assert "Traceback" not in result.output
    assert stored_findings(two) == before
