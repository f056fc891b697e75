"""Benchmark `nianbao check` (checks.service.run_checks) over a store of generated reports.

    .venv/bin/python bench/check.py                        # 20,000 reports
    .venv/bin/python bench/check.py --reports 100000       # the national year the target is set for
    .venv/bin/python bench/check.py --db /tmp/c.db         # keep the store (reused when it exists)

Reports go straight into the store through Store.ingest_parsed (the store bench's 2021-template reports:
~200 cells, a narrative, four years per agency so the history rules have predecessors; ~10% with a planted
defect). Target (issue 7): 100,000 stored reports checked in under 30 s. The baseline, measured in the same
run on the same file, is the floor of reading the data: a bare SELECT of every report row and every cell row.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import parsed_report, subjects  # noqa: E402  (bench/store.py)

from checks.service import run_checks  # noqa: E402
from checks.subject import CheckSettings  # noqa: E402
from db.store import Store  # noqa: E402
from samples.generate import DEFECTS, plant_defect, random_report  # noqa: E402

NATIONAL = 100_000
AS_OF = date(2025, 6, 1)


def build(db_path: Path, count: int, seed: int) -> float:
    """Store `count` generated reports; seconds taken."""
    rng = random.Random(seed)
    pool = []
    for index in range(400):
        sample = random_report(rng, "样本", 2023, "2021")
        if index % 10 == 0:
            plant_defect(sample, DEFECTS[index // 10 % len(DEFECTS)])
        pool.append(sample.values)
    started = time.perf_counter()
    with Store.open(db_path) as store:
        counties: set[str] = set()
        for code, name, agency, year in subjects(count):
            if code not in counties:
                store.upsert_county(code, name, f"http://{code}.example.gov.cn/")
                counties.add(code)
            report = parsed_report(agency, year, rng.choice(pool), rng)
            store.ingest_parsed(report, url=f"http://{code}.example.gov.cn/ndbg/{year}/{agency}.html",
                                county_code=code)
    return time.perf_counter() - started


def baseline(db_path: Path) -> float:
    """Seconds to read every report row and every cell row with bare SELECTs (no Python work on them)."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    started = time.perf_counter()
    for _ in connection.execute("SELECT id, county_code, agency, year, parsed, text FROM reports"):
        pass
    for _ in connection.execute("SELECT report_id, cell, number, state, raw, unit FROM cell_values"):
        pass
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="Build the store here and keep it (reused if present).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = args.db or Path(folder) / "check.db"
        if db_path.exists():
            print(f"reusing {db_path}")
        else:
            seconds = build(db_path, args.reports, args.seed)
            print(f"stored {args.reports:,} reports in {seconds:.0f} s ({args.reports / seconds:,.0f}/s)")
        floor = baseline(db_path)
        store = Store.open(db_path)
        reports = store.db.execute("SELECT count(*) FROM reports").fetchone()[0]
        runs = []
        for label in ("first run (all findings new)", "second run (all findings seen again)"):
            started, started_cpu = time.perf_counter(), time.process_time()
            run = run_checks(store.db, CheckSettings(), as_of=AS_OF)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            runs.append(elapsed)
            print(f"run_checks, {label}: {reports:,} reports in {elapsed:.1f} s wall ({elapsed / reports * 1e3:.2f} ms "
                  f"per report), {cpu:.1f} s CPU; {len(run.findings):,} findings {run.sync.as_dict()}")
        store.close()
        best = min(runs)
        projected = best / reports * NATIONAL
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"baseline (bare SELECT of every report and cell row): {floor:.1f} s; run_checks takes "
              f"{best / floor:.1f}× the baseline")
        print(f"projected for {NATIONAL:,} reports: {projected:.0f} s (target < 30 s: "
              f"{'ok' if projected < 30 else 'MISSED'}); peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
