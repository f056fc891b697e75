"""Small crawl behaviours a site operator or a user would notice: Retry-After, page budget, failed downloads,
an ASCII User-Agent, no SMTP password in the crawl process, robots.txt trouble in one line."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from test_crawl import FAST, write_sites

from crawler.run import crawl
from crawler.settings import user_agent
from db.store import Store
from samples.portal_server import serve
from samples.portals import document, plain_portal, sample

NAME = "古县"
REPORT = document(sample(f"{NAME}人民政府", 2023, 7), "pdf").body
HOME = (f'<html><head><meta charset="utf-8"><title>{NAME}人民政府</title></head><body>'
        f'<a href="/nb/gx2023.pdf">{NAME}人民政府2023年政府信息公开工作年度报告</a></body></html>').encode()


@contextmanager
def busy_server(retry_after: str, busy_times: int) -> Iterator[tuple[int, list[float]]]:
    """A portal whose report answers 429 with this Retry-After the first `busy_times` requests."""
    hits: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                self.send_response(404)
                self.end_headers()
                return
            if self.path == "/nb/gx2023.pdf":
                hits.append(time.monotonic())
                if len(hits) <= busy_times:
                    self.send_response(429)
                    self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, kind = REPORT, "application/pdf"
            else:
                body, kind = HOME, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def _crawl_one(tmp_path: Path, port: int, **options: object) -> Path:
    sites = tmp_path / "sites.csv"
    sites.write_text(f"code,name,url\n141025,{NAME},http://127.0.0.1:{port}/\n", encoding="utf-8")
    crawl(sites, tmp_path / "nianbao.db", tmp_path,
          overrides={**FAST, "allowed_private_hosts": [f"127.0.0.1:{port}"], **options})
    return tmp_path / "nianbao.db"


def test_crawl_waits_as_retry_after_asks_then_stores_the_report(tmp_path: Path) -> None:
    with busy_server("2", busy_times=1) as (port, hits):
        db = _crawl_one(tmp_path, port)
    assert len(hits) == 2 and hits[1] - hits[0] >= 1.9
    with Store.open(db) as store:
        assert [(r.agency, r.year) for r in store.current_reports()] == [(f"{NAME}人民政府", 2023)]


def test_crawl_gives_up_when_retry_after_is_over_the_limit(tmp_path: Path) -> None:
    with busy_server("120", busy_times=5) as (port, hits):
        db = _crawl_one(tmp_path, port, retry_after_max=5)
    assert len(hits) == 1  # asked once, not hammered
    with Store.open(db) as store:
        error = store.db.execute("SELECT error FROM documents WHERE url LIKE '%gx2023.pdf'").fetchone()[0]
        run = store.db.execute("SELECT status FROM crawl_runs").fetchone()[0]
    assert "网站要求 120 秒后再试（HTTP 429，Retry-After），超过上限 5 秒" in error
    assert run == "failed"  # the one report found could not be fetched: not 正常 ok


def test_crawl_says_when_it_stopped_at_the_page_budget(tmp_path: Path) -> None:
    server = serve([plain_portal()])
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path,
                        overrides={**FAST, "max_pages_per_site": 2, "allowed_private_hosts":
                                   [server.host(p) for p in server.portals]})
    finally:
        server.close()
    assert "达到每站页数上限 2" in (summary.runs[0].message or "")


def test_user_agent_is_ascii_with_the_contact() -> None:
    agent = user_agent("ops@example.org")
    assert agent.isascii() and "nianbao/" in agent and "ops@example.org" in agent


def test_crawl_process_does_not_inherit_the_smtp_password() -> None:
    from crawler.run import _without_secrets
    from nianbao.config import Config

    config = Config(data={"smtp": {"password_env": "NIANBAO_SMTP_PASSWORD"}})
    env = _without_secrets({"PATH": "/usr/bin", "NIANBAO_SMTP_PASSWORD": "s3cret"}, config)
    assert env == {"PATH": "/usr/bin"}
