"""End to end at scale on loopback: crawl → parse → store (crawler.run.crawl) → check (`nianbao check`).

    .venv/bin/python bench/pipeline.py                          # 100 portals, 3,000 reports (~5 min here)
    .venv/bin/python bench/pipeline.py --sites 200 --reports 10000

The corpus is samples/corpus.py: TRS-style county portals on 127.0.0.1 (a separate server process), each agency's
reports for 2021–2024 as HTML articles (60%), DOCX (25%) or PDF (15%) attachments. The crawler fetches, parses (its
parse worker processes) and stores at once, so those three stages are timed together; the check runs as the CLI
does, in its own process. Printed: throughput per stage, peak memory of each process tree, database and document
sizes, and the time projected for the national 100,000 reports. Targets (issue 7): projected national run under
2 hours on this 2-core machine; peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl import _peak_memory  # noqa: E402  (bench/crawl.py)

from crawler.run import crawl  # noqa: E402
from samples import corpus  # noqa: E402

NATIONAL = 100_000


def _serve(portals: list, connection: multiprocessing.connection.Connection) -> None:
    from samples.portal_server import serve

    server = serve(portals)
    connection.send([server.url(p) for p in server.portals])
    connection.recv()  # until the bench is done
    server.close()


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _watched(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run a command; its seconds and the peak resident memory of it and its children."""
    peak = [0, 0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = threading.Thread(target=_peak_memory, args=(process.pid, peak))
    watcher.start()
    out, err = process.communicate()
    watcher.join()
    return time.perf_counter() - started, peak[1], subprocess.CompletedProcess(command, process.returncode, out, err)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--reports", type=int, default=3_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    portals = corpus.portals(args.sites, args.reports, args.seed, workers=os.cpu_count() or 1)
    pages = sum(len(p.resources) for p in portals)
    print(f"corpus: {args.sites} portals, {args.reports:,} reports, {pages:,} URLs, generated in "
          f"{time.perf_counter() - started:.0f} s (not timed below)")
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(portals, theirs), daemon=True)
    server.start()
    urls = ours.recv()
    del portals
    with tempfile.TemporaryDirectory(prefix="nianbao-pipeline-") as temp_name:
        temp = Path(temp_name)
        db_path = temp / "nianbao.db"
        sites = temp / "sites.csv"
        sites.write_text("code,name,url\n" + "".join(
            f"{corpus.county_code(i)},{corpus.county_name(i)},{url}\n" for i, url in enumerate(urls)), encoding="utf-8")
        peak = [0, 0]
        watchers: list[threading.Thread] = []

        def watch(pid: int) -> None:
            watchers.append(threading.Thread(target=_peak_memory, args=(pid, peak)))
            watchers[-1].start()

        crawl_started = time.perf_counter()
        summary = crawl(sites, db_path, temp, overrides={
            "download_delay": 0, "autothrottle": False, "concurrency": args.concurrency, "obey_robots": False,
            "allow_private_networks": True, "max_pages_per_site": 100_000}, on_start=watch)
        crawl_seconds = time.perf_counter() - crawl_started
        for watcher in watchers:
            watcher.join()
        stored = summary.total("new")
        check_seconds, check_peak, result = _watched(
            [sys.executable, "-c", "from nianbao.cli import main; main()", "check", "--db", str(db_path),
             "--as-of", "2025-06-01"])
        if result.returncode not in (0, 1):
            sys.exit(f"nianbao check failed: {result.stderr[-2000:]}")
        db_size = db_path.stat().st_size + sum(p.stat().st_size for p in temp.glob("nianbao.db-*"))
        documents = _size(temp / "documents")
    ours.send("done")
    fetched = summary.total("pages")
    print(f"crawl + parse + store: {fetched:,} pages, {stored:,} reports stored in {crawl_seconds:.0f} s "
          f"= {fetched / crawl_seconds:.1f} pages/s, {stored / crawl_seconds:.1f} reports/s; "
          f"peak memory {peak[0] / 2**20:.0f} MB (with parse workers {peak[1] / 2**20:.0f} MB)")
    print(f"check: {stored:,} reports in {check_seconds:.1f} s (process start included) = "
          f"{stored / check_seconds:.0f} reports/s; peak memory {check_peak / 2**20:.0f} MB; "
          f"{result.stdout.splitlines()[0] if result.stdout else ''}")
    print(f"database {db_size / 1e6:.0f} MB ({db_size / max(stored, 1) / 1e3:.1f} kB per report); documents kept "
          f"{documents / 1e6:.0f} MB ({documents / max(stored, 1) / 1e3:.1f} kB per report)")
    scale = NATIONAL / max(stored, 1)
    projected = (crawl_seconds + check_seconds) * scale
    print(f"projected for {NATIONAL:,} reports: {projected / 3600:.2f} h (crawl+parse+store "
          f"{crawl_seconds * scale / 3600:.2f} h, check {check_seconds * scale / 60:.1f} min; "
          f"target < 2 h: {'ok' if projected < 7200 else 'MISSED'}); database "
          f"{db_size / max(stored, 1) * NATIONAL / 1e9:.1f} GB; peak memory target < 1 GB: "
          f"{'ok' if max(peak[1], check_peak) < 2**30 else 'MISSED'}")
    if stored < args.reports:
        print(f"note: {args.reports - stored:,} generated reports were not stored")


if __name__ == "__main__":
    main()
