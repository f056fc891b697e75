"""Parse many files on every core: PDFs and LibreOffice conversions are CPU-bound."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from parsers import Limits, ParsedReport, ParseError, parse_file

Outcome = ParsedReport | ParseError


def default_workers(file_count: int) -> int:
    """One process for a handful of files; otherwise one per core."""
    return 1 if file_count < 8 else max(1, os.cpu_count() or 1)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer: on Linux, have the kernel SIGKILL this worker when the process that started it dies.
    Otherwise a kill -9 of a crawl or an ingest left its workers waiting forever on their task queue."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _parse_one(job: tuple[Path, Limits]) -> Outcome:
    path, limits = job
    try:
        return parse_file(path, limits)
    except ParseError as error:
        return error
    except Exception as error:  # a reader bug must not kill the whole batch
        return ParseError(str(path), f"internal parser error: {type(error).__name__}: {error}")


def parse_many(paths: Iterable[Path], workers: int = 1, limits: Limits | None = None) -> Iterator[tuple[Path, Outcome]]:
    """(path, report or error) for each file, in the order given."""
    jobs = [(Path(path), limits or Limits()) for path in paths]
    if workers <= 1:
        for job in jobs:
            yield job[0], _parse_one(job)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from zip((job[0] for job in jobs), pool.map(_parse_one, jobs, chunksize=4), strict=True)
