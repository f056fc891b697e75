"""The fix-list: each department's findings with the day first seen, the day to fix them by and what to do; a
reminder when one is past its fix-by day and still open, at most once per remind_every_days (real SMTP server)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from checks_factory import ingest_page, sample_page, zezhou_store
from click.testing import CliRunner
from mail_server import Inbox, bodies, settings_for
from test_alerts_email import recheck, send

from checks import CheckSettings
from checks.service import run_checks
from db.store import Store
from nianbao.cli import main


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom, 8, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """泽州县 checked as of 2024-06-01 (tests/checks_factory.py): 教育局 2023 late, row_total, results_total;
    人社局 2023 missing. Every finding first seen 2024-06-01: fix by 2024-06-16 (15 days)."""
    path = zezhou_store(tmp_path / "nianbao.db")
    recheck(path)
    return path


def test_fix_list_names_per_department_what_to_fix_and_by_when(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    send(db_path, settings_for(smtp_port, {"email": "office@example.org"}))
    text, page = bodies(inbox.messages[0][1])
    assert "■ 泽州县（140525）\n  ◆ 泽州县人力资源和社会保障局（1项）" in text
    assert "  ◆ 泽州县教育局（3项）" in text
    assert text.count("期限：2024年6月1日首次发现，请于2024年6月16日前整改") == 4
    assert "整改要求：请尽快在政府信息公开专栏发布2023年度政府信息公开工作年度报告" in text
    assert "整改要求：2023年度报告已逾期发布" in text
    # The missing report links to the agency's last report, labelled as such.
    assert "上一年度报告：http://127.0.0.1/rsj/2022.html" in text
    assert "上一年度报告：<a href=\"http://127.0.0.1/rsj/2022.html\">" in page
    for english in ("blocked", "failed", "error", "warning"):
        assert english not in text


def test_overdue_open_findings_are_reminded_at_most_every_seven_days(db_path: Path, inbox: Inbox,
                                                                    smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "office@example.org"})
    assert send(db_path, settings, now=day(2024, 6, 1)).sent == 4
    assert send(db_path, settings, now=day(2024, 6, 16)).queued == 0  # fix-by day: not overdue yet
    reminded = send(db_path, settings, now=day(2024, 6, 17))
    assert (reminded.queued, reminded.sent) == (4, 4)
    message = inbox.messages[-1][1]
    assert message["Subject"] == "【年报监测】4项逾期未整改"
    text, _ = bodies(message)
    assert "一、逾期未整改的问题（4项）" in text
    assert text.count("请于2024年6月16日前整改（已逾期1天）") == 4
    assert send(db_path, settings, now=day(2024, 6, 20)).queued == 0
    assert send(db_path, settings, now=day(2024, 6, 23)).queued == 0  # 6 days after the reminder
    assert send(db_path, settings, now=day(2024, 6, 24)).queued == 4
    assert len(inbox.messages) == 3


def test_fixed_or_dismissed_findings_are_not_reminded(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "office@example.org"})
    send(db_path, settings, now=day(2024, 6, 1))
    with sqlite3.connect(db_path) as db:
        late = db.execute("SELECT id FROM findings WHERE rule = 'late'").fetchone()[0]
    result = CliRunner().invoke(main, ["findings", "dismiss", str(late), "--reason", "已说明原因",
                                       "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert send(db_path, settings, now=day(2024, 7, 1)).queued == 3


def test_fix_days_and_reminder_interval_come_from_the_config(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = replace(settings_for(smtp_port, {"email": "office@example.org"}), fix_days=30, remind_every_days=2)
    send(db_path, settings, now=day(2024, 6, 1))
    assert "请于2024年7月1日前整改" in bodies(inbox.messages[0][1])[0]
    assert send(db_path, settings, now=day(2024, 7, 1)).queued == 0
    assert send(db_path, settings, now=day(2024, 7, 2)).queued == 4
    assert send(db_path, settings, now=day(2024, 7, 3)).queued == 0
    assert send(db_path, settings, now=day(2024, 7, 4)).queued == 4


def test_weekly_summary_per_department_open_overdue_fixed(db_path: Path, inbox: Inbox, smtp_port: int) -> None:
    settings = settings_for(smtp_port, {"email": "office@example.org", "counties": ["1405"], "weekly_summary": True},
                            {"email": "other@example.org", "counties": ["1406"], "weekly_summary": True})
    send(db_path, settings, now=day(2024, 6, 1))  # a Saturday, ISO week 22
    office = [bodies(m)[0] for rcpt, m in inbox.messages if rcpt == ["office@example.org"]]
    assert "2024年第22周整改情况汇总（按单位）" in office[0]
    assert "泽州县教育局：待整改3项，本周整改0项，累计整改0项，已排除0项" in office[0]
    assert "泽州县人力资源和社会保障局：待整改1项，本周整改0项" in office[0]
    other = [bodies(m)[0] for rcpt, m in inbox.messages if rcpt == ["other@example.org"]]
    assert "没有需要整改的问题。" in other[0]  # its counties have no findings
    assert send(db_path, settings, now=day(2024, 6, 2)).queued == 0  # once a week
    # 教育局 corrects its 总计 (checked on Monday 2024-06-03): two findings fixed this week.
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html", sample_page("泽州县教育局", 2023, date(2024, 2, 5)))
    with Store.open(db_path) as store:
        run_checks(store.db, CheckSettings(years=(2023,)), as_of=date(2024, 6, 3))
    send(db_path, settings, now=day(2024, 6, 3))
    text = bodies(inbox.to("office@example.org")[-1])[0]
    assert "2024年第23周整改情况汇总" in text and "一、已整改的问题（2项）" in text
    assert "泽州县教育局：待整改1项，本周整改2项，累计整改2项，已排除0项" in text
    # Three weeks later the two still open are past their fix-by day (2024-06-16).
    send(db_path, settings, now=day(2024, 6, 24))
    text = bodies(inbox.to("office@example.org")[-1])[0]
    assert "泽州县教育局：待整改1项（其中逾期1项），本周整改0项，累计整改2项" in text
    assert "泽州县人力资源和社会保障局：待整改1项（其中逾期1项）" in text
