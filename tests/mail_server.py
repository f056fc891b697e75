"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping every message it accepts."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerts.settings import AlertSettings


class Inbox:
    """An aiosmtpd handler keeping (envelope recipients, parsed message) of every message."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.messages if address in rcpt]


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _authenticator(user: str, password: str):  # noqa: ANN202 (aiosmtpd's callback protocol)
    def check(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (user.encode(), password.encode())
        return AuthResult(success=ok, handled=False)

    return check


@contextmanager
def smtp_server(port: int, login: tuple[str, str] | None = None) -> Iterator[Inbox]:
    """Run an SMTP server on 127.0.0.1:port for the length of the block; with login, AUTH is required."""
    handler = Inbox()
    auth = {"authenticator": _authenticator(*login), "auth_required": True, "auth_require_tls": False} if login else {}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **auth)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a digest."""
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None and page is not None
    return text.get_content(), page.get_content()


def settings_for(port: int, *recipients: dict) -> AlertSettings:
    """Alert settings that send to the test server on 127.0.0.1:port."""
    return AlertSettings.from_config({"recipients": list(recipients)},
                                     {"host": "127.0.0.1", "port": port, "sender": "nianbao@example.org"})
