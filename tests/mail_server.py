"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping every message it accepts."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from ipaddress import ip_address
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

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
def _running(controller: Controller) -> Iterator[Controller]:
    """The aiosmtpd server runs (on its own thread) for the length of the block."""
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@contextmanager
def smtp_server(port: int, login: tuple[str, str] | None = None) -> Iterator[Inbox]:
    """Run an SMTP server on 127.0.0.1:port for the length of the block; with login, AUTH is required."""
    handler = Inbox()
    auth = {"authenticator": _authenticator(*login), "auth_required": True, "auth_require_tls": False} if login else {}
    with _running(Controller(handler, hostname="127.0.0.1", port=port, **auth)):
        yield handler


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


@dataclass(frozen=True)
class Certificates:
    """A private CA and a server certificate it signed for 127.0.0.1 and localhost (PEM files)."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificates(directory: Path, names: tuple[str, ...] = ()) -> Certificates:
    """Write a fresh CA (ca.pem) and a server certificate signed by it (server.pem, server.key) for 127.0.0.1,
    localhost and `names`."""
    now = datetime.now(UTC)

    def certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, signer: ec.EllipticCurvePrivateKey,
                    *, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
                critical=True)
        else:
            builder = (builder
                       .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                                   *map(x509.DNSName, names),
                                                                   x509.IPAddress(ip_address("127.0.0.1"))]),
                                      critical=False)
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
                                      critical=False)
                       .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                      critical=False))
        return builder.sign(signer, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    paths = Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    paths.ca.write_bytes(certificate("nianbao test CA", ca_key, "nianbao test CA", ca_key, ca=True)
                         .public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(certificate("127.0.0.1", server_key, "nianbao test CA", ca_key, ca=False)
                           .public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return paths


def _encrypted(server: Any) -> bool:
    return server.transport is not None and server.transport.get_extra_info("ssl_object") is not None


class TlsInbox(Inbox):
    """An Inbox that also notes each AUTH, MAIL and DATA command and whether the connection was encrypted then."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.login = login
        self.events: list[tuple[str, bool]] = []  # (command, encrypted), in the order the server saw them

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        """aiosmtpd authenticator: a login is accepted only over TLS and with the right user and password."""
        self.events.append(("AUTH", _encrypted(server)))
        ok = (self.login is not None and _encrypted(server) and isinstance(data, LoginPassword)
              and (data.login, data.password) == (self.login[0].encode(), self.login[1].encode()))
        return AuthResult(success=ok, handled=False)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any,  # noqa: N802
                          address: str, mail_options: list[str]) -> str:
        self.events.append(("MAIL", _encrypted(server)))
        if self.login is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.events.append(("DATA", _encrypted(server)))
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def tls_smtp_server(port: int, certificates: Certificates, *, security: str, login: tuple[str, str] | None = None,
                    lax: bool = False) -> Iterator[TlsInbox]:
    """An SMTP server on 127.0.0.1:port speaking implicit TLS (security="ssl") or requiring STARTTLS first;
    lax=True offers STARTTLS but also AUTH and MAIL in the clear, to see whether the client itself waits for TLS."""
    handler = TlsInbox(login)
    options: dict[str, Any] = {"authenticator": handler.authenticate}
    if security == "ssl":  # aiosmtpd's auth_require_tls only knows STARTTLS: the authenticator checks TLS itself
        options |= {"ssl_context": certificates.server_context(), "auth_require_tls": False}
    elif security == "starttls":
        options |= {"tls_context": certificates.server_context(), "require_starttls": not lax,
                    "auth_require_tls": not lax}
    else:
        raise ValueError(f"security must be ssl or starttls, not {security!r}")
    with _running(Controller(handler, hostname="127.0.0.1", port=port, **options)):
        yield handler
