"""Benchmark `nianbao lint` on one draft: the whole command (a new process, as an office runs it) and the work
inside it (parse + rules + text), each the best of several runs.

    .venv/bin/python bench/lint.py                 # the sample draft, the test drafts (DOCX, PDF, text)
    .venv/bin/python bench/lint.py 草稿.docx ...    # your own drafts

Target (issue 18): under one second for a text or DOCX draft.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks.lint import check_draft  # noqa: E402
from checks.lint_text import document_lines  # noqa: E402
from parsers import parse_file  # noqa: E402
from samples.drafts import SAMPLE_DRAFT  # noqa: E402

DRAFTS = [SAMPLE_DRAFT, ROOT / "tests/drafts/table_sums_2024.docx", ROOT / "tests/drafts/table_sums_2024.pdf",
          ROOT / "tests/drafts/year_narrative_2024.txt"]
RUNS = 7


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of `runs` timings: the machine is shared, the rest is other processes' noise."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(paths: list[Path]) -> None:
    command = [str(Path(sys.executable).with_name("nianbao")), "lint"]
    print("| draft | parse + rules + text | `nianbao lint` (process start included) |\n|---|---:|---:|")
    for path in paths:
        def lint_inside(path: Path = path) -> object:
            return document_lines(str(path), check_draft(parse_file(path), str(path)))

        def lint_command(path: Path = path) -> object:
            return subprocess.run([*command, str(path)], capture_output=True)

        inside, whole = best_of(RUNS, lint_inside), best_of(RUNS, lint_command)
        print(f"| {path.name} | {inside * 1000:.0f} ms | {whole:.2f} s |")


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or DRAFTS)
