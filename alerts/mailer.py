"""Build and send one email with the standard library (smtplib); failures raise DeliveryError."""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import socket
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from alerts.digest import Digest, clean_header
from alerts.settings import SmtpSettings
from nianbao.errors import DeliveryError

logger = logging.getLogger(__name__)


def stable_message_id(alert_ids: Sequence[int], recipient: str, domain: str) -> str:
    """The same alerts to the same recipient always get the same Message-ID, so a resend is recognisable."""
    digest = hashlib.sha256(f"{recipient}|{','.join(map(str, sorted(alert_ids)))}".encode()).hexdigest()[:24]
    return f"<nianbao.{digest}@{domain}>"


def build_message(digest: Digest, *, sender: str, recipient: str,
                  alert_ids: Sequence[int] | None = None) -> EmailMessage:
    """A multipart/alternative message: plain text first, then HTML; with alert_ids, a stable Message-ID."""
    message = EmailMessage()
    message["Subject"] = clean_header(digest.subject)
    message["From"] = clean_header(sender)
    message["To"] = clean_header(recipient)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = (stable_message_id(alert_ids, recipient, domain) if alert_ids
                             else make_msgid(domain=domain))
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def _password(settings: SmtpSettings) -> str | None:
    if not settings.user:
        return None
    if not settings.password_env:
        raise DeliveryError("[smtp] 设置了 user，却没有设置 password_env（存放密码的环境变量名）")
    password = os.environ.get(settings.password_env)
    if password is None:
        raise DeliveryError(f"环境变量 {settings.password_env}（SMTP 密码）未设置")
    return password


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Verify the server's certificate and host name against [smtp] ca_file, else the system's CAs."""
    return ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    try:
        smtp.login(user, password)
    except UnicodeEncodeError:
        # smtplib's AUTH encodes as ASCII; its error would quote a character of the password.
        raise DeliveryError(f"{where}: 未以 {user} 登录：用户名或密码含有 ASCII 以外的字符，SMTP 登录无法传送"
                            ) from None


def send_message(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver one message; any refusal or connection problem raises DeliveryError (nothing is marked sent)."""
    password = _password(settings)
    where = f"SMTP {settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                  context=tls_context(settings))
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=tls_context(settings))  # raises if the server does not offer it
            if settings.user and password is not None:
                _login(smtp, settings.user, password, where)
            refused = smtp.send_message(message)
    except ssl.SSLCertVerificationError as error:
        trusted = f"{settings.ca_file} 中的 CA 证书" if settings.ca_file else "系统的 CA 证书；见 [smtp] ca_file"
        raise DeliveryError(f"{where}: {settings.host} 的 TLS 证书未通过验证：{error.verify_message}"
                            f"（验证依据：{trusted}）") from error
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"{where}: 以 {settings.user} 登录被拒绝（{error.smtp_code}）") from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"{where}: {connection_problem(error)}") from error
    if refused:
        raise DeliveryError(f"{where}: 服务器拒收以下收件人：{', '.join(refused)}")
    logger.info("sent %r to %s via %s (%s)", message["Subject"], message["To"], where, settings.security)


def connection_problem(error: BaseException) -> str:
    """A connection or SMTP error in words; one not known here as Python gives it."""
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝（服务器未运行，或端口不对）"
    if isinstance(error, TimeoutError):
        return "连接超时"
    if isinstance(error, socket.gaierror):
        return "主机名无法解析"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "服务器断开了连接"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "服务器不支持所需的功能（如 STARTTLS）"
    if isinstance(error, ssl.SSLError):
        return f"TLS 加密连接失败（{error.reason or error}）"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"服务器拒绝（{error.smtp_code}）"
    return f"发送失败（{error}）"
