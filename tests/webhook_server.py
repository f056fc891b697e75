"""A real HTTP server on 127.0.0.1 that records the webhook calls it receives.

The bot services' addresses are fixed inside Apprise (https://qyapi.weixin.qq.com/…, https://oapi.dingtalk.com/…,
https://open.feishu.cn/…). The server is therefore also an HTTP proxy: with HTTPS_PROXY pointing at it, it accepts
the CONNECT, answers TLS with a certificate for that host from a private CA (REQUESTS_CA_BUNDLE), and records the
request as the service would receive it. Plain HTTP requests (the generic JSON webhook) are recorded directly."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from mail_server import make_certificates

SERVICE_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn")


@dataclass
class Call:
    host: str
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any]
    status: int


@dataclass
class Receiver:
    port: int
    calls: list[Call] = field(default_factory=list)
    fail_next: int = 0  # answer this many next requests with HTTP 500
    fail_at: set[int] = field(default_factory=set)  # answer the n-th request (from 1) with HTTP 500

    def accepted(self, host: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.status == 200 and (host is None or c.host == host)]


def _handler(receiver: Receiver, tls: ssl.SSLContext) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        tunnel_host: str | None = None

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_CONNECT(self) -> None:  # noqa: N802
            self.send_response(200, "Connection established")
            self.end_headers()
            self.tunnel_host = self.path.rsplit(":", 1)[0]
            self.connection = tls.wrap_socket(self.connection, server_side=True)
            self.rfile = self.connection.makefile("rb")
            self.wfile = self.connection.makefile("wb", buffering=0)
            self.close_connection = False  # the tunnelled request comes next on this connection

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            status = 200
            if receiver.fail_next:
                receiver.fail_next -= 1
                status = 500
            if len(receiver.calls) + 1 in receiver.fail_at:
                status = 500
            receiver.calls.append(Call(self.tunnel_host or self.headers.get("Host", ""), parts.path,
                                       parse_qs(parts.query), json.loads(body or b"{}"), status))
            answer = json.dumps({"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


@contextmanager
def webhook_receiver(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """The recording server, with this process's HTTPS traffic sent through it and its CA trusted."""
    certificates = make_certificates(directory, SERVICE_HOSTS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    receiver = Receiver(server.server_address[1])
    server.RequestHandlerClass = _handler(receiver, certificates.server_context())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in ("https_proxy", "http_proxy", "all_proxy", "ALL_PROXY", "HTTP_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{receiver.port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca))
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
