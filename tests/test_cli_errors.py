"""Bad input on the command line: one `错误：` line naming what is wrong, the documented exit code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mail_server import free_port

from db.crawl_runs import SiteRun, record_runs
from db.store import Store
from nianbao.errors import ConfigError, DatabaseError, DeliveryError, DraftErrors, InputError, SitesFailedError


def nianbao(*args: str) -> Result:
    from nianbao.cli import main

    return CliRunner().invoke(main, list(args))


def error_line(result: Result) -> str:
    """The one line the user sees; a traceback or a second line fails the test."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return lines[0]


@pytest.fixture
def blocked_db(tmp_path: Path) -> Path:
    """A store whose one county's last crawl was blocked: `alerts send` has a crawl alert to deliver."""
    path = tmp_path / "nianbao.db"
    with Store.open(path) as store:
        store.upsert_county("990104", "白沙县", "http://127.0.0.1:9/")
    record_runs(path, [SiteRun("990104", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "blocked", blocked=1,
                               message="被拦截 blocked (ruishu, HTTP 412)")])
    return path


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nianbao.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["check"], ["export"], ["serve"], ["status"], ["alerts", "send"]])
def test_cli_read_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "typo" / "nianbao.db"
    result = nianbao(*command, "--db", str(missing))
    assert result.exit_code == 3
    assert str(missing) in error_line(result) and "这里没有数据库" in result.stderr
    assert not missing.exists() and not missing.parent.exists()


def test_cli_config_file_missing_is_named(tmp_path: Path) -> None:
    result = nianbao("--config", str(tmp_path / "nianbao.toml"), "status")
    assert result.exit_code == 2
    assert "nianbao.toml: 配置文件不存在" in error_line(result)


def test_cli_config_not_toml_is_named(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[checks\nyears = 2024\n")
    result = nianbao("--config", str(config), "status")
    assert result.exit_code == 2 and "不是有效的 TOML 格式：第 1 行第 8 列附近有语法错误" in error_line(result)


def test_cli_config_missing_key_is_named(tmp_path: Path, blocked_db: Path) -> None:
    config = write_config(tmp_path, '[[alerts.recipients]]\ncounties = ["9901"]\n')
    result = nianbao("--config", str(config), "alerts", "send", "--db", str(blocked_db))
    assert result.exit_code == 2
    assert f"{config}:1: 配置项 alerts.recipients[1] 缺少 email" in error_line(result)


def test_cli_sites_file_bad_line_is_named(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("code,name,url\n990101,青山县,http://127.0.0.1:9/\n99010,云溪县,http://127.0.0.1:9/\n",
                     encoding="utf-8")
    result = nianbao("crawl", "--sites", str(sites), "--db", str(tmp_path / "nianbao.db"))
    assert result.exit_code == 2
    assert f"{sites}:3: code 列的 '99010' 不是6位行政区划代码" in error_line(result)


def test_cli_smtp_refused_keeps_alerts_pending(tmp_path: Path, blocked_db: Path) -> None:
    port = free_port()  # nothing listens there
    config = write_config(tmp_path, f'[alerts]\ncrawl_failures = 1\n[[alerts.recipients]]\nemail = "a@example.org"\n'
                                    f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout = 5\n')
    result = nianbao("--config", str(config), "alerts", "send", "--db", str(blocked_db))
    assert result.exit_code == 4
    assert f"SMTP 127.0.0.1:{port}" in error_line(result) and "留待下次发送" in result.stderr
    with sqlite3.connect(blocked_db) as db:
        assert db.execute("SELECT status FROM alerts").fetchall() == [("pending",)]


@pytest.mark.slow
def test_cli_locked_database_is_one_line(blocked_db: Path) -> None:
    with sqlite3.connect(blocked_db, isolation_level=None) as holder:
        holder.execute("PRAGMA journal_mode = DELETE")
        holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
        try:
            result = nianbao("status", "--db", str(blocked_db))
        finally:
            holder.execute("ROLLBACK")
    assert result.exit_code == 3
    assert "数据库正被另一个进程写入" in error_line(result)


def test_cli_demo_port_in_use_fails_before_any_work(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = nianbao("demo", "--port", str(port), "--output", str(tmp_path / "demo"))
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} 已被占用" in error_line(result) and "--no-serve" in result.stderr
    assert not (tmp_path / "demo").exists()


def test_cli_help_lists_the_exit_codes_the_errors_use() -> None:
    result = nianbao("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for error, meaning in ((ConfigError, "bad input or configuration"), (InputError, "bad input or configuration"),
                           (DatabaseError, "database"), (DeliveryError, "email not delivered"),
                           (SitesFailedError, "too many sites failed"),
                           (DraftErrors, "errors found in a draft")):
        assert f"{error.exit_code} {meaning}" in text
