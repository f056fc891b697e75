"""Build and send one email with the standard library (smtplib); failures raise DeliveryError."""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
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
        raise DeliveryError("[smtp] user is set but password_env (the environment variable with the password) is not")
    password = os.environ.get(settings.password_env)
    if password is None:
        raise DeliveryError(f"environment variable {settings.password_env} (SMTP password) is not set")
    return password


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Verify the server's certificate and host name against [smtp] ca_file, else the system's CAs."""
    return ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    try:
        smtp.login(user, password)
    except UnicodeEncodeError:
        # smtplib's AUTH encodes as ASCII; its error would quote a character of the password.
        raise DeliveryError(f"{where}: login as {user} not sent: the user name or password has characters outside "
                            "ASCII, which SMTP login cannot carry") from None


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
        trusted = f"the CAs in {settings.ca_file}" if settings.ca_file else "the system's CAs; see [smtp] ca_file"
        raise DeliveryError(f"{where}: TLS certificate of {settings.host} rejected: {error.verify_message} "
                            f"(checked against {trusted})") from error
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"{where}: login as {settings.user} refused ({error.smtp_code})") from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"{where}: {error}") from error
    if refused:
        raise DeliveryError(f"{where}: recipients refused: {', '.join(refused)}")
    logger.info("sent %r to %s via %s (%s)", message["Subject"], message["To"], where, settings.security)
