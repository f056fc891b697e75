"""Email over TLS against a real aiosmtpd server with a private CA: implicit TLS (ssl), STARTTLS, login, bad certs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_server import Certificates, bodies, make_certificates, tls_smtp_server

from alerts.outbox import SendResult, send_alerts
from alerts.settings import AlertSettings, SmtpSettings
from db import runs
from db.store import Store
from nianbao.cli import main
from nianbao.errors import ConfigError

PASSWORD_ENV = "NIANBAO_TEST_SMTP_PASSWORD"
PASSWORD = "Pa55-w0rd-only-in-env"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """A private CA and a certificate it signed for 127.0.0.1, made fresh for this module."""
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A store with one failed crawl job: one alert to email to ops@example.org."""
    path = tmp_path / "nianbao.db"
    with Store.open(path) as store:
        runs.finish_job(store.db, runs.start_job(store.db, "crawl"), "error", error="boom")
    return path


def smtp_section(port: int, security: str, **extra: object) -> dict:
    return {"host": "127.0.0.1", "port": port, "security": security, "sender": "nianbao@example.org", **extra}


def send(db_path: Path, smtp: dict) -> SendResult:
    settings = AlertSettings.from_config({"recipients": [{"email": "ops@example.org"}]}, smtp)
    with Store.open(db_path) as store:
        return send_alerts(store.db, settings)


def pending(db_path: Path) -> list[str]:
    """last_error of every alert still pending."""
    with Store.open(db_path) as store:
        return [row[0] for row in store.db.execute("SELECT last_error FROM alerts WHERE status = 'pending'")]


SERVERS = [("ssl", False), ("starttls", False), ("starttls", True)]  # (security, lax: AUTH/MAIL offered in clear)


@pytest.mark.parametrize(("security", "lax"), SERVERS)
def test_alerts_tls_digest_delivered_encrypted(security: str, lax: bool, db_path: Path, certificates: Certificates,
                                               smtp_port: int) -> None:
    with tls_smtp_server(smtp_port, certificates, security=security, lax=lax) as inbox:
        result = send(db_path, smtp_section(smtp_port, security, ca_file=str(certificates.ca)))
    assert (result.sent, result.failures) == (1, {})
    [(rcpt, message)] = inbox.messages
    assert rcpt == ["ops@example.org"]
    assert "采集任务运行出错：boom" in bodies(message)[0]
    assert inbox.events == [("MAIL", True), ("DATA", True)]  # the envelope and the message only ever encrypted
    assert pending(db_path) == []


@pytest.mark.parametrize(("security", "lax"), SERVERS)
def test_alerts_tls_login_only_after_tls(security: str, lax: bool, db_path: Path, certificates: Certificates,
                                         smtp_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    smtp = smtp_section(smtp_port, security, ca_file=str(certificates.ca), user="nianbao", password_env=PASSWORD_ENV)
    login = ("nianbao", PASSWORD)
    with tls_smtp_server(smtp_port, certificates, security=security, login=login, lax=lax) as inbox:
        result = send(db_path, smtp)
    assert (result.sent, result.failures) == (1, {})
    assert inbox.events == [("AUTH", True), ("MAIL", True), ("DATA", True)]
    assert len(inbox.messages) == 1


def test_alerts_tls_starttls_not_offered_sends_nothing(db_path: Path, certificates: Certificates,
                                                       smtp_port: int, inbox: object,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    smtp = smtp_section(smtp_port, "starttls", ca_file=str(certificates.ca), user="nianbao", password_env=PASSWORD_ENV)
    result = send(db_path, smtp)  # the plain `inbox` server on smtp_port offers no STARTTLS
    assert result.sent == 0
    assert "STARTTLS" in result.failures["ops@example.org"]
    assert inbox.messages == []  # type: ignore[attr-defined]
    assert len(pending(db_path)) == 1


def write_config(tmp_path: Path, port: int, security: str) -> Path:
    config = tmp_path / "nianbao.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
                      f'user = "nianbao"\npassword_env = "{PASSWORD_ENV}"\nsender = "nianbao@example.org"\n\n'
                      '[[alerts.recipients]]\nemail = "ops@example.org"\n', "utf-8")
    return config


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_alerts_tls_untrusted_certificate_cli_fails_and_keeps_alerts(
        security: str, db_path: Path, tmp_path: Path, certificates: Certificates, smtp_port: int,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    caplog.set_level(logging.DEBUG)
    config = write_config(tmp_path, smtp_port, security)  # no ca_file: the system's CAs do not know ours
    with tls_smtp_server(smtp_port, certificates, security=security, login=("nianbao", PASSWORD)) as inbox:
        result = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--db", str(db_path)])
    assert result.exit_code == 4, result.output
    [error] = [line for line in result.output.splitlines() if "错误：" in line]
    assert error.startswith("错误：1 份通知未送达，留待下次发送：ops@example.org："
                            f"SMTP 127.0.0.1:{smtp_port}: 127.0.0.1 的 TLS 证书未通过验证：")
    assert "见 [smtp] ca_file" in error
    assert inbox.messages == [] and inbox.events == []  # no AUTH, no MAIL: nothing left the client
    [last_error] = pending(db_path)
    assert "certificate" in last_error
    assert "留待下次发送" in caplog.text
    assert PASSWORD not in result.output and PASSWORD not in caplog.text
    for stored in tmp_path.glob("nianbao.db*"):
        assert PASSWORD.encode() not in stored.read_bytes()


def test_alerts_tls_wrong_ca_is_rejected(db_path: Path, tmp_path: Path, certificates: Certificates,
                                         smtp_port: int) -> None:
    other = make_certificates(tmp_path)  # a second, unrelated CA
    with tls_smtp_server(smtp_port, certificates, security="ssl") as inbox:
        result = send(db_path, smtp_section(smtp_port, "ssl", ca_file=str(other.ca)))
    assert result.sent == 0 and inbox.messages == []
    assert f"验证依据：{other.ca} 中的 CA 证书" in result.failures["ops@example.org"]


@pytest.mark.parametrize(("content", "problem"), [
    (None, "文件不存在"),
    ("not a certificate\n", "其中没有 PEM 格式的证书"),
    ("directory", "无法读取"),
])
def test_alerts_tls_settings_bad_ca_file(tmp_path: Path, content: str | None, problem: str) -> None:
    path = tmp_path / "ca.pem"
    if content == "directory":
        path.mkdir()
    elif content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ConfigError) as raised:
        AlertSettings.from_config({}, smtp_section(25, "starttls", ca_file=str(path)))
    assert str(raised.value).startswith(f"[smtp] ca_file {path}：{problem}")


def test_alerts_tls_cli_missing_ca_file_is_a_config_error(db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text('[smtp]\nsecurity = "ssl"\nca_file = "/nonexistent/ca.pem"\n', "utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "alerts", "send", "--db", str(db_path)])
    assert result.exit_code == 2
    assert f"错误：{config}:3: 配置项 smtp.ca_file" in result.output
    assert "文件不存在：/nonexistent/ca.pem" in result.output


@pytest.mark.parametrize("host", ["smtp.example.org", "10.0.0.5"])
def test_alerts_password_without_tls_to_another_machine_is_refused(host: str) -> None:
    with pytest.raises(ConfigError, match=f"密码将以明文发往 {re.escape(host)}"):
        SmtpSettings.from_section({"host": host, "user": "nianbao", "password_env": "NIANBAO_SMTP_PASSWORD"})


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_alerts_password_without_tls_to_a_local_relay_is_allowed(host: str) -> None:
    settings = SmtpSettings.from_section({"host": host, "user": "nianbao", "password_env": "NIANBAO_SMTP_PASSWORD"})
    assert settings.security == "none" and settings.host == host
