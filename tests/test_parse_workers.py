"""Parse worker processes: one document that kills, stalls or bloats its worker costs that document only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from test_crawl import EXPECTED, current_reports, only_fixture_hosts, write_sites

from crawler.run import crawl
from db.store import Store
from parsers.errors import ParseAborted
from parsers.workers import WorkerLimits, WorkerPool
from samples.portal_server import serve
from samples.portals import fixture_portals

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "tests" / "golden").glob("seed_*/input.txt"))


def job(source: str, action: str) -> str:
    """A stand-in document: `action` says what it does to the worker parsing it."""
    if action == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "die-once" and not Path(source).exists():
        Path(source).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "stall":
        time.sleep(60)
    if action == "bloat":
        ballast = b"x" * (400 * 1024 * 1024)
        time.sleep(10)
        return str(len(ballast))
    return f"read {source}"


def test_workers_one_bad_document_each_way_and_the_rest_is_read(tmp_path: Path) -> None:
    limits = WorkerLimits(seconds=3, memory_bytes=200 * 1024 * 1024)
    once = str(tmp_path / "died-once")
    jobs = [("a.pdf", "read"), ("crash.pdf", "die"), ("b.pdf", "read"), ("slow.xlsx", "stall"),
            ("bomb.docx", "bloat"), (once, "die-once"), ("c.pdf", "read")]
    with WorkerPool(job, 2, limits) as pool:
        outcomes = list(pool.map(jobs))
    assert outcomes[0] == "read a.pdf" and outcomes[2] == "read b.pdf" and outcomes[6] == "read c.pdf"
    crash, slow, bomb = outcomes[1], outcomes[3], outcomes[4]
    assert isinstance(crash, ParseAborted) and str(crash) == "crash.pdf: 解析进程异常退出（信号 9）"
    assert isinstance(slow, ParseAborted) and str(slow) == "slow.xlsx: 解析超时（超过 3 秒）"
    assert isinstance(bomb, ParseAborted) and str(bomb) == "bomb.docx: 解析占用内存超过上限（超过 200 MiB）"
    assert outcomes[5] == f"read {once}"  # died once, read when tried again alone


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_ingest_goes_on_when_a_parse_worker_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for copy in range(4):
        for seed in SEEDS:
            (folder / f"{copy}-{seed.parent.name}.txt").write_text(
                seed.read_text(encoding="utf-8") + f"\n附：第{copy}份\n", encoding="utf-8")
    ingest = subprocess.Popen([sys.executable, "-c", "from nianbao.cli import main; main()", "ingest", "--workers",
                               "2", "--db", str(tmp_path / "nianbao.db"), str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    killed: list[int] = []

    def kill_first_worker() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline and ingest.poll() is None:
            workers = _children(ingest.pid)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_first_worker)
    watcher.start()
    _, err = ingest.communicate(timeout=180)
    watcher.join()
    assert killed, "no parse worker was seen"
    assert ingest.returncode == 0, err
    assert "失败 0" in err
    with Store.open(tmp_path / "nianbao.db") as store:
        statuses = store.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
    assert statuses == [("parsed", 4 * len(SEEDS))]


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def test_crawl_goes_on_when_its_parse_worker_is_killed(tmp_path: Path) -> None:
    server = serve(fixture_portals())
    killed: list[int] = []
    done = threading.Event()

    def kill_first_parse_worker() -> None:
        while not killed and not done.is_set():
            for crawl_process in _children(os.getpid()):
                workers = _children(crawl_process)
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed.append(workers[0])
                    return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_first_parse_worker)
    watcher.start()
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        crawl(sites, tmp_path / "nianbao.db", tmp_path, overrides={**only_fixture_hosts(server), "parse_workers": 1})
    finally:
        done.set()
        watcher.join()
        server.close()
    assert killed, "no parse worker was seen"
    assert current_reports(tmp_path / "nianbao.db") == sorted(EXPECTED)


def test_crawl_counts_documents_that_ran_over_the_parse_limits(tmp_path: Path) -> None:
    server = serve(fixture_portals())
    try:
        sites = write_sites(tmp_path / "sites.csv", server)
        summary = crawl(sites, tmp_path / "nianbao.db", tmp_path,
                        overrides={**only_fixture_hosts(server), "parse_workers": 1, "parse_timeout": 0.001})
    finally:
        server.close()
    with Store.open(tmp_path / "nianbao.db") as store:
        errors = [error for (error,) in store.db.execute("SELECT error FROM documents WHERE status = 'failed'")]
        assert store.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    timed_out = sum("解析超时（超过 0.001 秒）" in error for error in errors)
    # Every report document (泽州县's county report is both a page and a PDF), each recorded failed and counted.
    assert timed_out == len(EXPECTED) + 1 == summary.parse_aborted
