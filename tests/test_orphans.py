"""Killing a nianbao command leaves no child behind, and two crawls never write one store at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_crawl import write_sites
from test_parse_workers import SEEDS, _descendants

from samples.portal_server import serve
from samples.portals import fixture_portals


def nianbao(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", "from nianbao.cli import main; main()", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists()
                 and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1] or ["Z"])]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_killed_crawl_takes_its_processes_along_and_a_second_crawl_is_refused_meanwhile(tmp_path: Path) -> None:
    server = serve(fixture_portals())
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        config = tmp_path / "nianbao.toml"
        config.write_text("[crawl]\ndownload_delay = 1.0\nautothrottle = false\nallow_private_networks = true\n",
                          encoding="utf-8")
        db = str(tmp_path / "nianbao.db")
        first = nianbao("--config", str(config), "crawl", "--sites", str(sites), "--db", db, cwd=tmp_path)
        _wait_for(lambda: len(_descendants(first.pid)) >= 2)  # the crawl process and its parse worker
        second = nianbao("--config", str(config), "crawl", "--sites", str(sites), "--db", db, cwd=tmp_path)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 3, err
        assert f"另一个 nianbao 爬取进程（pid {first.pid}）正在写入这个数据库" in err
        children = _descendants(first.pid)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert _gone(children), "the crawl process or its parse worker outlived a kill -9 of nianbao crawl"
        third = nianbao("--config", str(config), "crawl", "--sites", str(sites), "--db", db, cwd=tmp_path)
        _, err = third.communicate(timeout=180)
        assert third.returncode == 0, err  # the killed crawl's lock is free at once
    finally:
        server.close()


def test_killed_ingest_leaves_no_parse_worker(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for copy in range(30):
        for seed in SEEDS:
            (folder / f"{copy}-{seed.parent.name}.txt").write_text(
                seed.read_text(encoding="utf-8") + f"\n附：第{copy}份\n", encoding="utf-8")
    ingest = nianbao("ingest", "--workers", "2", "--db", str(tmp_path / "nianbao.db"), str(folder), cwd=tmp_path)
    _wait_for(lambda: len(_descendants(ingest.pid)) >= 2)
    workers = _descendants(ingest.pid)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait(timeout=10)
    assert _gone(workers), "parse workers outlived a kill -9 of nianbao ingest"
