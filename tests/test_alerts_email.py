"""Email end to end against a real SMTP server (aiosmtpd on 127.0.0.1): routing, digests, once-only, outages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from checks_factory import consistent_report, ingest_page, plant, sample_page, zezhou_store
from mail_server import Inbox, bodies, free_port, settings_for, smtp_server

from alerts.outbox import SendResult, send_alerts
from alerts.settings import AlertSettings
from checks import CheckSettings
from checks.service import run_checks
from checks.watchlist import WatchedAgency
from db.store import Store
from nianbao.errors import ConfigError

AS_OF = date(2024, 6, 1)
SENT_AT = datetime(2024, 6, 1, 8, tzinfo=UTC)  # the morning of the check: nothing is overdue yet
HR = "泽州县人力资源和社会保障局"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The 泽州县 store checked as of 2024-06-01: row_total, results_total, late (教育局 2023),
    missing_report (人社局 2023)."""
    path = zezhou_store(tmp_path / "nianbao.db")
    recheck(path)
    return path


def recheck(path: Path) -> None:
    with Store.open(path) as store:
        run_checks(store.db, CheckSettings(years=(2023,)), as_of=AS_OF)


def send(path: Path, settings: AlertSettings, watch: tuple[WatchedAgency, ...] = (),
         now: datetime = SENT_AT) -> SendResult:
    with Store.open(path) as store:
        return send_alerts(store.db, settings, watch=watch, now=now)


def test_alerts_routing_one_digest_per_recipient(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = settings_for(
        smtp_port,
        {"email": "all@example.org"},
        {"email": "jincheng@example.org", "counties": ["1405"], "severities": ["error"]},
        {"email": "elsewhere@example.org", "counties": ["1406"]},
        {"email": "late@example.org", "rules": ["late"]},
    )
    result = send(db_path, settings, watch=(WatchedAgency("140525", "县人社局", "hr@example.org"),))
    assert result.failures == {}
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == [
        "all@example.org", "hr@example.org", "jincheng@example.org", "late@example.org"]
    all_text, _ = bodies(inbox.to("all@example.org")[0])
    assert all_text.count("    · 【错误】2023年度｜") == 4
    late_text, _ = bodies(inbox.to("late@example.org")[0])
    assert "逾期发布" in late_text and "收支" not in late_text and "总计列不符" not in late_text
    hr_text, _ = bodies(inbox.to("hr@example.org")[0])
    assert "未发布年度报告" in hr_text and "泽州县教育局" not in hr_text


def test_alerts_digest_subject_bodies_and_links(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    send(db_path, settings_for(smtp_port, {"email": "all@example.org", "rules": ["row_total"]}))
    [message] = inbox.to("all@example.org")
    assert message["Subject"] == "【年报监测】泽州县教育局：1项新问题"
    assert message["From"] == "nianbao@example.org"
    text, page = bodies(message)
    with Store.open(db_path) as store:
        report_id = store.db.execute("SELECT id FROM reports WHERE year = 2023").fetchone()[0]
    link = f"http://127.0.0.1:8001/nianbao/reports/{report_id}"
    assert "■ 泽州县（140525）" in text
    assert "  ◆ 泽州县教育局" in text
    assert ("    · 【错误】2023年度｜申请情况表总计列不符：申请情况表“三（一）予以公开”行“总计”列与各申请人列之和不符："
            "自然人2≠总计3") in text
    # First seen on the day of the check (2024-06-01), to be fixed within 15 days, and what to do.
    assert "      期限：2024年6月1日首次发现，请于2024年6月16日前整改\n" in text
    assert "      整改要求：请核对申请情况表“三（一）予以公开”行“总计”列的数字，更正后重新发布报告。" in text
    assert "报告：泽州县教育局2023年政府信息公开工作年度报告" in text
    assert "网站原文：http://127.0.0.1/jyj/2023.html" in text
    assert f"报告页面：{link}" in text
    assert f'<a href="{link}">' in page and '<a href="http://127.0.0.1/jyj/2023.html">' in page
    assert "<h3>泽州县（140525）</h3>" in page


def test_alerts_second_send_sends_nothing(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "all@example.org"})
    assert send(db_path, settings).sent == 4
    recheck(db_path)
    again = send(db_path, settings)
    assert (again.sent, again.queued, len(inbox.messages)) == (0, 0, 1)


def test_alerts_resolved_findings_are_announced_once(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "all@example.org"})
    send(db_path, settings)
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html", sample_page("泽州县教育局", 2023, date(2024, 1, 25)))
    recheck(db_path)
    send(db_path, settings)
    send(db_path, settings)
    first, second = inbox.to("all@example.org")
    assert len(inbox.messages) == 2
    text, _ = bodies(second)
    assert "已整改的问题（3项）" in text and "新发现的问题" not in text
    assert second["Subject"] == "【年报监测】泽州县教育局：3项已整改"


def test_alerts_server_down_stays_pending_then_delivered_once(db_path: Path, smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "all@example.org"})
    down = send(db_path, settings)  # nothing listens on the port yet
    assert down.sent == 0 and "all@example.org" in down.failures
    with Store.open(db_path) as store:
        assert store.db.execute("SELECT count(*) FROM alerts WHERE status = 'pending'").fetchone()[0] == 4
    with smtp_server(smtp_port) as handler:
        assert send(db_path, settings).sent == 4
        assert send(db_path, settings).sent == 0
    assert len(handler.messages) == 1
    text, _ = bodies(handler.messages[0][1])
    assert text.count("    · 【错误】2023年度｜") == 4


def test_alerts_title_with_newline_cannot_inject_a_header(tmp_path: Path, inbox: Inbox, smtp_port: int) -> None:
    db_path = tmp_path / "nianbao.db"
    report = plant(consistent_report(2023, agency="泽州县教育局\r\nBcc: evil@example.org"), "reviews.review.total", 3)
    report.title = "年度报告\r\nBcc: evil@example.org\r\nX-Injected: yes"
    with Store.open(db_path) as store:
        store.ingest_parsed(report, url="http://127.0.0.1/evil.html", county_code="140525")
    recheck(db_path)
    send(db_path, settings_for(smtp_port, {"email": "all@example.org"}))
    [(rcpt, message)] = inbox.messages
    assert rcpt == ["all@example.org"]
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Subject"] == "【年报监测】泽州县教育局 Bcc: evil@example.org：1项新问题"


def test_alerts_missing_password_variable_keeps_alerts_pending(db_path: Path, inbox: Inbox, smtp_port: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_TEST_SMTP_PASSWORD", raising=False)
    settings = AlertSettings.from_config(
        {"recipients": [{"email": "all@example.org"}]},
        {"host": "127.0.0.1", "port": smtp_port, "user": "nianbao", "password_env": "NIANBAO_TEST_SMTP_PASSWORD"})
    result = send(db_path, settings)
    assert "NIANBAO_TEST_SMTP_PASSWORD" in result.failures["all@example.org"]
    assert inbox.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_alerts_smtp_login_with_password_from_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    smtp = {"host": "127.0.0.1", "port": port, "user": "nianbao", "password_env": "NIANBAO_TEST_SMTP_PASSWORD"}
    settings = AlertSettings.from_config({"recipients": [{"email": "all@example.org"}]}, smtp)
    with smtp_server(port, login=("nianbao", "s3cret")) as handler:
        monkeypatch.setenv("NIANBAO_TEST_SMTP_PASSWORD", "wrong")
        refused = send(db_path, settings)
        assert "以 nianbao 登录被拒绝" in refused.failures["all@example.org"]
        assert "wrong" not in refused.failures["all@example.org"]
        monkeypatch.setenv("NIANBAO_TEST_SMTP_PASSWORD", "s3cret")
        assert send(db_path, settings).sent == 4
    assert len(handler.messages) == 1


def test_alerts_settings_refuse_a_password_in_the_file() -> None:
    with pytest.raises(ConfigError, match="password_env"):
        AlertSettings.from_config({}, {"host": "smtp.example.org", "password": "s3cret"})


def test_alerts_non_ascii_password_is_one_line_that_shows_none_of_it(db_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    smtp = {"host": "127.0.0.1", "port": port, "user": "nianbao", "password_env": "NIANBAO_TEST_SMTP_PASSWORD"}
    settings = AlertSettings.from_config({"recipients": [{"email": "all@example.org"}]}, smtp)
    with smtp_server(port, login=("nianbao", "s3cret")):
        monkeypatch.setenv("NIANBAO_TEST_SMTP_PASSWORD", "口令s3cret")
        refused = send(db_path, settings)
    failure = refused.failures["all@example.org"]
    assert "含有 ASCII 以外的字符" in failure and "口" not in failure and "令" not in failure
