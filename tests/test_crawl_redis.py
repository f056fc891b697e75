"""Two `nianbao crawl` processes sharing one frontier in a real redis-server: every page fetched once in all."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_crawl import EXPECTED, current_reports, write_sites

from samples.portal_server import PortalServer, serve
from samples.portals import fixture_portals

NIANBAO = Path(sys.executable).parent / "nianbao"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on a free 127.0.0.1 port, no persistence, data in a temp dir."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("SKIPPED LOUDLY: redis-server is not installed (scripts/system-deps.sh installs it); "
                    "the shared-frontier crawl is untested here")
    port = free_port()
    (tmp_path / "redis").mkdir()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path / "redis")], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture
def fresh_portals() -> Iterator[PortalServer]:
    """The three fixture counties on their own servers, so the request log holds only this test's requests."""
    server = serve(fixture_portals())
    yield server
    server.close()


def crawl_config(path: Path, server: PortalServer, contact: str, redis_url: str = "") -> Path:
    """nianbao.toml for one crawl process: fixture hosts allowed, its own contact (to tell the processes apart)."""
    hosts = ", ".join(f'"{server.host(p)}"' for p in server.portals)
    # Few requests in flight and a delay, so that the crawl lasts long enough for both processes to take part.
    path.write_text(f'[crawl]\ncontact = "{contact}"\nconcurrency = 3\nper_site = 1\ndownload_delay = 0.3\n'
                    'autothrottle = false\n'
                    f'allowed_private_hosts = [{hosts}]\nredis_url = "{redis_url}"\n', encoding="utf-8")
    return path


def test_crawl_redis_two_processes_fetch_every_page_once(redis_url: str, fresh_portals: PortalServer,
                                                        tmp_path: Path) -> None:
    sites = write_sites(tmp_path / "sites.csv", fresh_portals)
    db = tmp_path / "nianbao.db"
    # One process takes the URL from the command line, the other from nianbao.toml.
    first = [str(NIANBAO), "--config", str(crawl_config(tmp_path / "a.toml", fresh_portals, "a@example.org")),
             "crawl", "--sites", str(sites), "--db", str(db), "--redis", redis_url]
    second = [str(NIANBAO), "--config",
              str(crawl_config(tmp_path / "b.toml", fresh_portals, "b@example.org", redis_url)),
              "crawl", "--sites", str(sites), "--db", str(db)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for command in (first, second)]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs

    pages = [(hit.port, hit.method, hit.path) for hit in fresh_portals.hits if hit.path != "/robots.txt"]
    twice = [page for page, count in Counter(pages).items() if count > 1]
    assert pages and not twice, f"fetched more than once: {twice}"
    by_process = Counter("a@" in hit.user_agent for hit in fresh_portals.hits if hit.path != "/robots.txt")
    assert by_process[True] > 0 and by_process[False] > 0, f"one process did all the work: {by_process}"
    robots = Counter((hit.port, hit.user_agent) for hit in fresh_portals.hits if hit.path == "/robots.txt")
    assert max(robots.values()) == 1  # each process reads a site's robots.txt once, itself

    assert current_reports(db) == sorted(EXPECTED)
    with sqlite3.connect(db) as connection:
        versions = connection.execute("SELECT agency, year, COUNT(*) FROM reports GROUP BY agency, year "
                                      "HAVING COUNT(*) > 1").fetchall()
        runs = connection.execute("SELECT county_code, status, reports_found, new FROM crawl_runs "
                                  "ORDER BY county_code").fetchall()
    assert versions == []  # every report stored once
    # One merged row per county, with the counts one process alone reports (tests/test_crawl_cli.py).
    assert [(code, status) for code, status, _, _ in runs] == [("140525", "ok"), ("141025", "ok"), ("360733", "ok")]
    assert {code: found for code, _, found, _ in runs}["140525"] == 5
    assert {code: found for code, _, found, _ in runs}["360733"] == 4
    assert sum(new for *_, new in runs) == len(EXPECTED)


def test_crawl_redis_unreachable_is_a_clear_error(tmp_path: Path, fresh_portals: PortalServer) -> None:
    sites = write_sites(tmp_path / "sites.csv", fresh_portals)
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    result = subprocess.run([str(NIANBAO), "crawl", "--sites", str(sites), "--db", str(tmp_path / "n.db"),
                             "--redis", url], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"{url}: 无法连接 Redis" in result.stdout + result.stderr
    assert fresh_portals.hits == []
