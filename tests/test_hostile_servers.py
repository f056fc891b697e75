"""Portals that misbehave on purpose (127.0.0.1 only): endless headers, an oversized download."""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from test_crawl import crawl_one_portal

from crawler.run import crawl
from db.store import Store
from samples.portals import Resource, plain_portal


class EndlessHeaders(socketserver.BaseRequestHandler):
    """Answers any request with a status line and header lines that never end (bounded: 30 s, 100 MB)."""

    sent = 0

    def handle(self) -> None:
        self.request.recv(65536)
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        line = b"X-Padding: " + b"a" * 1000 + b"\r\n"
        deadline = time.monotonic() + 30
        try:
            while time.monotonic() < deadline and EndlessHeaders.sent < 100_000_000:
                self.request.sendall(line * 64)
                EndlessHeaders.sent += len(line) * 64
        except OSError:  # the client closed the connection: what we want
            return


@contextmanager
def endless_header_server() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), EndlessHeaders)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_crawl_refuses_endless_response_headers(tmp_path: Path) -> None:
    EndlessHeaders.sent = 0
    with endless_header_server() as port:
        sites = tmp_path / "sites.csv"
        sites.write_text(f"code,name,url\n141025,古县,http://127.0.0.1:{port}/\n", encoding="utf-8")
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path,
                        overrides={"download_delay": 0, "autothrottle": False, "retries": 0,
                                   "allowed_private_hosts": [f"127.0.0.1:{port}"], "obey_robots": False})
    run = summary.runs[0]
    assert run.status == "failed"
    assert "响应头超过上限" in (run.message or "")
    assert EndlessHeaders.sent < 20_000_000  # the crawl hung up long before the server's own bound
    with Store.open(tmp_path / "nianbao.db") as store:
        assert store.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_crawl_names_the_size_limit_of_an_oversized_download(tmp_path: Path) -> None:
    portal = plain_portal()
    big = portal.resources["/files/gx2023.pdf"]
    portal.resources["/files/gx2023.pdf"] = Resource(big.body + b"\n%" + b"0" * (2 * 1024 * 1024), big.content_type)
    crawl_one_portal(portal, tmp_path, max_bytes=1024 * 1024)
    with Store.open(tmp_path / "nianbao.db") as store:
        error = store.db.execute("SELECT error FROM documents WHERE url LIKE '%/files/gx2023.pdf'").fetchone()[0]
    assert "超过大小上限 1 MiB" in error
