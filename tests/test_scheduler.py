"""The scheduler: one cycle crawls a portal on 127.0.0.1, checks and emails; interval jobs fire, chain and alert."""

from __future__ import annotations

import functools
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from checks_factory import sample_page
from click.testing import CliRunner
from mail_server import Inbox, bodies

import scheduler
from db import runs
from db.store import Store
from nianbao.cli import main
from nianbao.config import load_config
from samples.portal_server import PortalServer, serve
from samples.portals import fixture_portals

SHANGHAI = ZoneInfo("Asia/Shanghai")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[str]:
    """A county portal on 127.0.0.1: a list page linking 泽州县教育局's 2023 report (予以公开 总计 3, sum 2)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "2023.html").write_bytes(
        sample_page("泽州县教育局", 2023, date(2024, 1, 20), requests__granted__total=3))
    (site / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>泽州县 政府信息公开年报</title></head><body><ul>'
        '<li><a href="2023.html">泽州县教育局2023年政府信息公开工作年度报告</a> 2024-01-20</li></ul></body></html>',
        "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def write_config(tmp_path: Path, smtp_port: int, sites: str, schedule: str = "") -> Path:
    """nianbao.toml for a test: data under tmp_path, private networks allowed (127.0.0.1), one recipient."""
    (tmp_path / "sites.csv").write_text(sites, "utf-8")
    config = tmp_path / "nianbao.toml"
    config.write_text(
        f'[paths]\ndata_dir = "{tmp_path / "data"}"\n\n[crawl]\nallow_private_networks = true\n\n'
        f'[schedule]\nsites = "sites.csv"\n{schedule}\n\n[checks]\nyears = [2023]\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsender = "nianbao@example.org"\n\n'
        '[[alerts.recipients]]\nemail = "ops@example.org"\n', "utf-8")
    return config


def job_table(db_path: Path) -> list[tuple[str, str]]:
    with Store.open(db_path) as store:
        return [(run["job"], run["outcome"]) for run in runs.job_runs(store.db)]


def test_scheduler_once_crawls_checks_and_emails(tmp_path: Path, portal: str, inbox: Inbox, smtp_port: int) -> None:
    config = write_config(tmp_path, smtp_port, f"code,name,url\n140525,泽州县,{portal}\n")
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once"])
    assert result.output == "采集：成功\nOCR 识别：成功\n检查：成功\n发送通知：成功\n"
    assert result.exit_code == 0
    db_path = tmp_path / "data" / "nianbao.db"
    assert job_table(db_path) == [("crawl", "ok"), ("ocr", "ok"), ("check", "ok"), ("alerts", "ok")]
    with Store.open(db_path) as store:
        counts = [json.loads(run["counts"]) for run in runs.job_runs(store.db)]
    assert (counts[0]["reports_found"], counts[0]["new"]) == (1, 1)
    assert counts[3]["sent"] == 2  # row_total and results_total
    [(rcpt, message)] = inbox.messages
    assert rcpt == ["ops@example.org"]
    text, _ = bodies(message)
    assert "申请情况表“三（一）予以公开”行“总计”列与各申请人列之和不符：自然人2≠总计3" in text
    assert f"原文：{portal.replace('index.html', '2023.html')}" in text


def test_scheduler_once_failing_crawl_is_recorded_and_alerted(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    config = write_config(tmp_path, smtp_port, "code,name\n")  # a sites file the crawler rejects
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once"])
    assert result.exit_code == 1
    assert result.output == "采集：出错\nOCR 识别：成功\n检查：成功\n发送通知：成功\n"
    text, _ = bodies(inbox.messages[0][1])
    assert "采集任务运行出错：" in text and "sites.csv:1: 缺少列 url" in text


@pytest.fixture
def fixture_portals_server() -> Iterator[PortalServer]:
    """The crawler's three fixture counties (TRS/GBK, Hanweb, plain) on 127.0.0.1."""
    server = serve(fixture_portals())
    yield server
    server.close()


@pytest.mark.slow
def test_scheduler_once_over_the_fixture_portals_emails_the_missing_report(
        tmp_path: Path, fixture_portals_server: PortalServer, inbox: Inbox, smtp_port: int) -> None:
    server = fixture_portals_server
    sites = "code,name,url\n" + "".join(f"{p.code},{p.name},{server.url(p)}\n" for p in server.portals)
    hosts = ", ".join(f'"{server.host(p)}"' for p in server.portals)
    config = write_config(tmp_path, smtp_port, sites)
    # Only the fixture hosts are allowed (the plain portal redirects to 10.0.0.1, which must stay refused);
    # only missing_report is emailed: the sample values are random, the publication record is not.
    config.write_text(config.read_text("utf-8").replace(
        "allow_private_networks = true",
        f"download_delay = 0\nautothrottle = false\nallowed_private_hosts = [{hosts}]").replace(
        "years = [2023]", 'years = [2023]\nalert_rules = ["missing_report"]'), "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "schedule", "--once"])
    assert result.output == "采集：成功\nOCR 识别：成功\n检查：成功\n发送通知：成功\n"
    # 古县林业局 published for 2022 (lyj2022.docx) and not for 2023; 会昌县民政局 is listed in 会昌县's
    # 部门信息公开 (its sub-site is a script shell) and never published: the two missing reports.
    [(rcpt, message)] = inbox.messages
    assert rcpt == ["ops@example.org"]
    assert message["Subject"] == "【年报监测】2项新问题"
    text, _ = bodies(message)
    assert "■ 古县（141025）" in text and "■ 会昌县（360733）" in text
    assert ("未找到古县林业局2023年度政府信息公开工作年度报告，应于2024年1月31日前公开（该单位发布过2022年度报告）"
            in text)
    assert ("未找到会昌县民政局2023年度政府信息公开工作年度报告，应于2024年1月31日前公开"
            "（该单位列于门户网站的部门信息公开目录）" in text)


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2025, 2, 10, 7, 0), datetime(2025, 2, 11, 6, 0)),   # season: daily
    (datetime(2025, 2, 10, 5, 0), datetime(2025, 2, 10, 6, 0)),
    (datetime(2025, 1, 10, 7, 0), datetime(2025, 1, 13, 6, 0)),   # Friday in January: next Monday
    (datetime(2025, 1, 31, 7, 0), datetime(2025, 2, 1, 6, 0)),    # the season starts on Saturday Feb 1
    (datetime(2025, 4, 30, 7, 0), datetime(2025, 5, 5, 6, 0)),    # after the season: Monday May 5
])
def test_scheduler_season_trigger_daily_in_season_weekly_otherwise(now: datetime, expected: datetime) -> None:
    trigger = scheduler.SeasonTrigger(scheduler.ScheduleSettings(), SHANGHAI)
    assert trigger.get_next_fire_time(None, now.replace(tzinfo=SHANGHAI)) == expected.replace(tzinfo=SHANGHAI)


def run_in_thread(pipeline: scheduler.Pipeline, until: Callable[[], bool], timeout: float = 20) -> None:
    sched = scheduler.build_scheduler(pipeline)
    thread = threading.Thread(target=sched.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not until() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        sched.shutdown(wait=True)
        thread.join(5)


def test_scheduler_interval_jobs_fire_chain_and_alert_a_failure(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    config = write_config(tmp_path, smtp_port, "code,name\n", "crawl_every_seconds = 1")
    pipeline = scheduler.pipeline_of(load_config(config))
    run_in_thread(pipeline, lambda: len(inbox.messages) >= 1)
    assert job_table(pipeline.db_path)[:4] == [("crawl", "error"), ("ocr", "ok"), ("check", "ok"), ("alerts", "ok")]
    text, _ = bodies(inbox.messages[0][1])
    assert "采集任务运行出错" in text


def test_scheduler_misfired_job_is_recorded_and_alerted(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    config = write_config(tmp_path, smtp_port, "code,name\n", "misfire_grace_hours = 0.0003")
    pipeline = scheduler.pipeline_of(load_config(config))
    sched = scheduler.build_scheduler(pipeline)
    sched.modify_job("crawl", next_run_time=datetime.now(SHANGHAI) - timedelta(hours=2))
    thread = threading.Thread(target=sched.start, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    sched.shutdown(wait=True)
    thread.join(5)
    assert job_table(pipeline.db_path)[:2] == [("crawl", "misfire"), ("alerts", "ok")]
    text, _ = bodies(inbox.messages[0][1])
    assert "采集任务错过执行时间" in text


def test_scheduler_sigterm_stops_the_foreground_scheduler(tmp_path: Path, smtp_port: int) -> None:
    config = write_config(tmp_path, smtp_port, "code,name\n", "crawl_every_seconds = 1")
    nianbao = Path(sys.executable).with_name("nianbao")
    process = subprocess.Popen([str(nianbao), "--config", str(config), "schedule"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db_path = tmp_path / "data" / "nianbao.db"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (db_path.exists() and len(job_table(db_path)) >= 4):
            time.sleep(0.2)
        assert process.poll() is None, process.stderr.read().decode()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, process.stderr.read().decode()
    jobs = job_table(db_path)
    # No SMTP server: the digest stays pending.
    assert jobs[:4] == [("crawl", "error"), ("ocr", "ok"), ("check", "ok"), ("alerts", "error")]
    assert all(outcome is not None for _, outcome in jobs)


class SlowHandler(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802
        time.sleep(1.5)
        super().do_GET()


@pytest.mark.slow
def test_scheduler_sigterm_during_a_crawl_lets_it_finish(tmp_path: Path, smtp_port: int) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>年报</p></body></html>", "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    config = write_config(tmp_path, smtp_port, f"code,name,url\n140525,泽州县,{url}\n", "crawl_every_seconds = 1")
    process = subprocess.Popen([str(Path(sys.executable).with_name("nianbao")), "--config", str(config), "schedule"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db_path = tmp_path / "data" / "nianbao.db"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (db_path.exists() and job_table(db_path)):
            time.sleep(0.1)
        assert job_table(db_path) == [("crawl", None)]  # started, still running
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        process.kill()
        server.shutdown()
        server.server_close()
    assert process.returncode == 0, process.stderr.read().decode()
    assert job_table(db_path) == [("crawl", "ok")]  # finished before the scheduler stopped; nothing after it
