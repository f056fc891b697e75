"""A finding's life on the command line: list, show, dismiss (who, when, why), note, reopen; a dismissed finding is
not alerted, survives rechecks, and comes back only when its report changes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from checks_factory import ingest_page, sample_page, zezhou_store
from click.testing import CliRunner
from mail_server import free_port
from test_alerts_email import recheck

from alerts.outbox import send_alerts
from alerts.settings import AlertSettings, Recipient, SmtpSettings
from db.store import Store
from nianbao.cli import main


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """泽州县 as of 2024-06-01 (tests/checks_factory.py): 教育局 2023 late (published 2024-02-05), its 予以公开 总计
    3 instead of 2 (row_total, results_total), 人社局 2023 missing."""
    path = zezhou_store(tmp_path / "nianbao.db")
    recheck(path)
    return path


def nianbao(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def late_id(db_path: Path) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT id FROM findings WHERE rule = 'late'").fetchone()[0]


def state(db_path: Path, finding_id: int) -> tuple:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT resolved_at, dismissed_at IS NOT NULL, dismissed_by, dismissed_reason "
                          "FROM findings WHERE id = ?", [finding_id]).fetchone()


def digest_texts(db_path: Path) -> str:
    settings = AlertSettings(recipients=(Recipient("office@example.org"),))
    with Store.open(db_path) as store:
        result = send_alerts(store.db, settings, dry_run=True, now=datetime(2024, 6, 1, 8, tzinfo=UTC))
    return "\n".join(digest.text for _, digest in result.digests)


def test_findings_list_shows_the_open_findings(db_path: Path) -> None:
    listed = nianbao("findings", "list", "--db", str(db_path))
    assert "待整改" in listed
    assert "泽州县教育局 2023年度 逾期发布" in listed
    assert "泽州县人力资源和社会保障局 2023年度 未发布年度报告" in listed
    assert "共4项" in listed


def test_dismissed_finding_is_not_alerted_and_survives_rechecks(db_path: Path) -> None:
    finding = late_id(db_path)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT status FROM coverage WHERE agency = '泽州县教育局' AND year = 2023").fetchall() == [
            ("逾期",)]
    assert "逾期发布" in digest_texts(db_path)
    output = nianbao("findings", "dismiss", str(finding), "--reason", "纸质版已于1月20日在政务大厅公开",
                     "--by", "李主任", "--db", str(db_path))
    assert f"#{finding} 已排除" in output
    nianbao("findings", "note", str(finding), "已电话联系教育局办公室", "--by", "李主任", "--db", str(db_path))
    recheck(db_path)
    recheck(db_path)
    assert state(db_path, finding) == (None, 1, "李主任", "纸质版已于1月20日在政务大厅公开")
    assert "逾期发布" not in digest_texts(db_path)  # the other findings still are
    assert "泽州县人力资源和社会保障局" in digest_texts(db_path)
    assert "逾期发布" not in nianbao("findings", "list", "--db", str(db_path))
    dismissed = nianbao("findings", "list", "--status", "dismissed", "--db", str(db_path))
    assert "已排除" in dismissed and "逾期发布" in dismissed
    shown = nianbao("findings", "show", str(finding), "--db", str(db_path))
    assert "李主任：纸质版已于1月20日在政务大厅公开" in shown
    assert "排除（李主任）：纸质版已于1月20日在政务大厅公开" in shown
    assert "备注（李主任）：已电话联系教育局办公室" in shown
    # The coverage view (scorecard, dashboard) no longer calls the report late.
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT status FROM coverage WHERE agency = '泽州县教育局' AND year = 2023").fetchall() == [
            ("按时",)]
    # nianbao status counts it no more among the open findings.
    assert "late" not in nianbao("status", "--db", str(db_path)).split("未解决的问题（按规则）：")[1].split("\n\n")[0]


def test_dismissed_finding_comes_back_when_its_report_changes(db_path: Path) -> None:
    finding = late_id(db_path)
    nianbao("findings", "dismiss", str(finding), "--reason", "不适用", "--by", "李主任", "--db", str(db_path))
    # The portal serves the same report unchanged: still dismissed.
    with Store.open(db_path) as store:
        same = store.ingest(sample_page("泽州县教育局", 2023, date(2024, 2, 5), requests__granted__total=3),
                            url="http://127.0.0.1/jyj/2023.html", county_code="140525", content_type="text/html")
    assert same.status == "unchanged"
    recheck(db_path)
    assert state(db_path, finding)[1] == 1
    # A corrected version (总计 fixed, still published late): the late finding is judged again, open.
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html", sample_page("泽州县教育局", 2023, date(2024, 2, 5)))
    recheck(db_path)
    assert state(db_path, finding) == (None, 0, None, None)
    shown = nianbao("findings", "show", str(finding), "--db", str(db_path))
    assert "重新打开（nianbao）：报告出现新版本" in shown
    assert "逾期发布" in digest_texts(db_path)


def test_reopen_by_hand_and_errors(db_path: Path) -> None:
    finding = late_id(db_path)
    nianbao("findings", "reopen", str(finding), "--db", str(db_path), code=2)
    nianbao("findings", "dismiss", str(finding), "--reason", "误报", "--by", "李主任", "--db", str(db_path))
    assert "已重新打开" in nianbao("findings", "reopen", str(finding), "--reason", "确属逾期", "--by", "张科长",
                                   "--db", str(db_path))
    assert state(db_path, finding)[1] == 0
    assert "重新打开（张科长）：确属逾期" in nianbao("findings", "show", str(finding), "--db", str(db_path))
    assert "没有编号为 #9999 的问题" in nianbao("findings", "show", "9999", "--db", str(db_path), code=2)


def test_a_finding_reopened_after_a_dismissal_is_announced_again(db_path: Path) -> None:
    finding = late_id(db_path)
    # Nothing listens on the port: the alerts stay pending.
    settings = AlertSettings(recipients=(Recipient("office@example.org"),), smtp=SmtpSettings(port=free_port()))
    with Store.open(db_path) as store:
        assert send_alerts(store.db, settings, now=datetime(2024, 6, 1, 8, tzinfo=UTC)).failures
    nianbao("findings", "dismiss", str(finding), "--reason", "不适用", "--by", "李主任", "--db", str(db_path))
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT status FROM alerts WHERE finding_id = ?", [finding]).fetchall() == [("cancelled",)]
    assert "逾期发布" not in digest_texts(db_path)
    nianbao("findings", "reopen", str(finding), "--reason", "确属逾期", "--db", str(db_path))
    assert "逾期发布" in digest_texts(db_path)
