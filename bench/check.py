"""Benchmark `nianbao check` (checks.service.run_checks) over a store of generated reports.

    .venv/bin/python bench/check.py                        # 20,000 reports
    .venv/bin/python bench/check.py --reports 100000       # the national year the target is set for
    .venv/bin/python bench/check.py --db /tmp/c.db         # keep the store (reused when it exists)
    .venv/bin/python bench/check.py --independent-years    # stress: ~3 findings per report

Reports go straight into the store through Store.ingest_parsed (the store bench's 2021-template reports:
~200 cells, a narrative, four years per agency following on from each other so the history rules have
predecessors; ~10% with a broken sum, ~3% with a broken carry-over). Target (issue 7): 100,000 stored reports
checked in under 30 s. The baseline, measured in the same run on the same file, is the floor of reading the data
in one process: a bare SELECT of every report row and every cell row. Peak memory is the checking process's own
(each worker process adds ~130 MB).
"""

from __future__ import annotations

import argparse
import copy
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
from samples.generate import APPLICANTS, DEFECTS, plant_defect, random_report  # noqa: E402

NATIONAL = 100_000
AS_OF = date(2025, 6, 1)


def build(db_path: Path, count: int, seed: int, independent_years: bool = False) -> float:
    """Store `count` generated reports; seconds taken.

    Each agency's years follow on from each other as in real reports (上年结转 = last year's 结转下年度, 现行有效件数
    rolled over, a narrative that changes), except for a few planted history defects; ~10% of reports break a sum.
    With independent_years every report is drawn on its own (and every narrative is the same text), so nearly every
    report also has carry-over, roll-over and copied-report warnings: a stress case of ~3 findings per report."""
    rng = random.Random(seed)
    pool = [random_report(rng, "样本", 2023, "2021") for _ in range(400)]
    started = time.perf_counter()
    previous: dict[str, dict] = {}
    with Store.open(db_path) as store:
        counties: set[str] = set()
        for code, name, agency, year in subjects(count):
            if code not in counties:
                store.upsert_county(code, name, f"http://{code}.example.gov.cn/")
                counties.add(code)
            sample = copy.deepcopy(rng.choice(pool))
            before = previous.get(agency)
            if before is not None and not independent_years and rng.random() >= HISTORY_DEFECT_RATE:
                follow_on(sample.values, before)
            if rng.random() < SUM_DEFECT_RATE:
                plant_defect(sample, rng.choice(DEFECTS))
            previous[agency] = sample.values
            report = parsed_report(agency, year, sample.values, rng)
            if not independent_years:
                report.text += YEAR_NOTE.format(year=year, items=rng.randint(50, 5000), pages=rng.randint(5, 400))
            store.ingest_parsed(report, url=f"http://{code}.example.gov.cn/ndbg/{year}/{agency}.html",
                                county_code=code)
    return time.perf_counter() - started


SUM_DEFECT_RATE = 0.1
HISTORY_DEFECT_RATE = 0.03
YEAR_NOTE = "{year}年共主动公开政府信息{items}条，更新政务公开专栏{pages}次。"


def follow_on(values: dict, before: dict) -> None:
    """Make this year's values continue last year's: 上年结转 = 结转下年度 (本年新收 adjusted so that each column
    still balances), 现行有效件数 = last year's + 本年制发 − 本年废止."""
    for column in APPLICANTS:
        carried_over = before[f"requests.carried_forward.{column}"]
        carried_forward = values[f"requests.carried_forward.{column}"]
        received = values[f"requests.results_total.{column}"] + carried_forward - carried_over
        if received < 0:  # more carried over than handled: the rest is carried forward again
            carried_forward, received = carried_forward - received, 0
        values[f"requests.carried_over.{column}"] = carried_over
        values[f"requests.received.{column}"] = received
        values[f"requests.carried_forward.{column}"] = carried_forward
    for row in ("received", "carried_over", "carried_forward"):
        values[f"requests.{row}.total"] = sum(values[f"requests.{row}.{column}"] for column in APPLICANTS)
    for row in ("regulations", "normative_documents"):
        issued, repealed = values[f"active.{row}.issued"], values[f"active.{row}.repealed"]
        in_force_before = before[f"active.{row}.in_force"]
        repealed = min(repealed, in_force_before + issued)
        values[f"active.{row}.repealed"] = repealed
        values[f"active.{row}.in_force"] = in_force_before + issued - repealed


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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--independent-years", action="store_true",
                        help="Draw every report on its own: ~3 findings per report (stress for the findings writer).")
    parser.add_argument("--db", type=Path, default=None, help="Build the store here and keep it (reused if present).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = args.db or Path(folder) / "check.db"
        if db_path.exists():
            print(f"reusing {db_path}")
        else:
            seconds = build(db_path, args.reports, args.seed, args.independent_years)
            print(f"stored {args.reports:,} reports in {seconds:.0f} s ({args.reports / seconds:,.0f}/s)")
        floor = baseline(db_path)
        store = Store.open(db_path)
        reports = store.db.execute("SELECT count(*) FROM reports").fetchone()[0]
        runs = []
        for label in ("first run", "second run (every finding seen again)"):
            started, started_cpu = time.perf_counter(), cpu_seconds()
            run = run_checks(store.db, CheckSettings(), as_of=AS_OF)
            elapsed, cpu = time.perf_counter() - started, cpu_seconds() - started_cpu
            runs.append(elapsed)
            print(f"run_checks, {label}: {reports:,} reports in {elapsed:.1f} s wall ({elapsed / reports * 1e3:.2f} ms "
                  f"per report), {cpu:.1f} s CPU in all processes; {len(run.findings):,} findings "
                  f"{run.sync.as_dict()}")
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
