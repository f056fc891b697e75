"""Failing crawls (after N in a row, then recovered) and failing jobs are alerted, each once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_server import Inbox, bodies, free_port, settings_for

from alerts.outbox import send_alerts
from db import runs
from db.crawl_runs import SiteRun, record_runs
from db.store import Store
from nianbao.cli import main


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "nianbao.db"
    with Store.open(path) as store:
        store.upsert_county("140525", "泽州县", "http://127.0.0.1/zezhou/")
    return path


def crawl(db_path: Path, status: str, found: int = 0, message: str = "") -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    record_runs(db_path, [SiteRun("140525", stamp, stamp, status, reports_found=found, message=message)])


def send(db_path: Path, port: int) -> int:
    with Store.open(db_path) as store:
        return send_alerts(store.db, settings_for(port, {"email": "ops@example.org"})).sent


def test_alerts_crawl_failing_after_two_runs_then_recovered(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    crawl(db_path, "ok", found=5)
    crawl(db_path, "blocked", message="JS challenge")
    assert send(db_path, smtp_port) == 0  # one failure is not news yet
    crawl(db_path, "empty")
    assert send(db_path, smtp_port) == 1
    crawl(db_path, "failed", message="timeout")
    assert send(db_path, smtp_port) == 0  # still failing: already said
    crawl(db_path, "ok", found=5)
    assert send(db_path, smtp_port) == 1
    assert send(db_path, smtp_port) == 0
    failing, recovered = (bodies(message)[0] for _, message in inbox.messages)
    assert "泽州县（140525）：连续2次采集失败（未找到年报）" in failing
    assert "泽州县（140525）：采集已恢复正常" in recovered
    assert inbox.messages[0][1]["Subject"] == "【年报监测】1项采集或任务故障"


def test_alerts_empty_crawl_of_a_site_that_never_had_reports_is_not_a_failure(
        db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    for _ in range(3):
        crawl(db_path, "empty")
    assert send(db_path, smtp_port) == 0


def test_alerts_crawl_streak_skips_crawls_that_never_finished(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    crawl(db_path, "ok", found=5)
    crawl(db_path, "failed", message="timeout")
    crawl(db_path, "interrupted", message="killed")  # the crawl process died: nothing known about the site
    crawl(db_path, "failed", message="timeout")
    assert send(db_path, smtp_port) == 1
    crawl(db_path, "running")  # the next crawl has started: no recovery yet, and no second failing alert
    assert send(db_path, smtp_port) == 0
    assert "泽州县（140525）：连续2次采集失败（无法访问）" in bodies(inbox.messages[0][1])[0]


def test_alerts_failed_job_is_alerted_once(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    with Store.open(db_path) as store:
        run_id = runs.start_job(store.db, "crawl")
        runs.finish_job(store.db, run_id, "error", error="crawler exited with code 1")
    assert send(db_path, smtp_port) == 1
    assert send(db_path, smtp_port) == 0
    text, _ = bodies(inbox.messages[0][1])
    assert "采集任务运行出错：crawler exited with code 1" in text


def test_alerts_job_failures_go_only_to_recipients_of_all_counties(db_path: Path, inbox: Inbox,
                                                                   smtp_port: int) -> None:
    with Store.open(db_path) as store:
        runs.finish_job(store.db, runs.start_job(store.db, "check"), "error", error="boom")
        settings = settings_for(smtp_port, {"email": "ops@example.org"},
                                {"email": "county@example.org", "counties": ["140525"]})
        send_alerts(store.db, settings)
    assert [rcpt for rcpt, _ in inbox.messages] == [["ops@example.org"]]


def write_config(tmp_path: Path, port: int) -> Path:
    config = tmp_path / "nianbao.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsender = "nianbao@example.org"\n\n'
                      '[[alerts.recipients]]\nemail = "ops@example.org"\n', "utf-8")
    return config


def test_alerts_cli_dry_run_prints_and_sends_nothing(db_path: Path, tmp_path: Path, inbox: Inbox,
                                                     smtp_port: int) -> None:
    with Store.open(db_path) as store:
        runs.finish_job(store.db, runs.start_job(store.db, "crawl"), "error", error="boom")
    config = write_config(tmp_path, smtp_port)
    dry = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--dry-run", "--db", str(db_path)])
    assert dry.exit_code == 0, dry.output
    assert "收件人：ops@example.org" in dry.output and "采集任务运行出错：boom" in dry.output
    assert inbox.messages == []
    real = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--db", str(db_path)])
    assert real.exit_code == 0, real.output
    assert real.output.startswith("已发送 1 份通知 · 送达 1 条提醒")
    assert len(inbox.messages) == 1


def test_alerts_cli_server_down_exits_with_delivery_error(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        runs.finish_job(store.db, runs.start_job(store.db, "crawl"), "error", error="boom")
    config = write_config(tmp_path, free_port())
    result = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--db", str(db_path)])
    assert result.exit_code == 4
    assert "错误：1 份通知未送达，留待下次发送：ops@example.org：SMTP 127.0.0.1" in result.output
