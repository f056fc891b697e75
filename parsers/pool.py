"""Parse many files on every core: PDFs and LibreOffice conversions are CPU-bound."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from parsers import Hints, Limits, ParsedReport, ParseError, parse_file
from parsers.workers import WorkerPool

Outcome = ParsedReport | ParseError


def default_workers(file_count: int) -> int:
    """One process for a handful of files; otherwise one per core."""
    return 1 if file_count < 8 else max(1, os.cpu_count() or 1)


def _parse_one(path: Path, limits: Limits, county: str | None = None) -> Outcome:
    try:
        return parse_file(path, limits, Hints(county=county, file_name=path.stem))
    except ParseError as error:
        return error
    except Exception as error:  # a reader bug must not kill the whole batch
        return ParseError(str(path), f"程序内部错误（{type(error).__name__}：{error}），请把此文件报告给维护者")


def parse_many(paths: Iterable[Path], workers: int = 1, limits: Limits | None = None,
               county: str | None = None) -> Iterator[tuple[Path, Outcome]]:
    """(path, report or error) for each file, in the order given; `county` (泽州县) completes bare agency names."""
    jobs = [(Path(path), limits or Limits(), county) for path in paths]
    if workers <= 1:
        for job in jobs:
            yield job[0], _parse_one(*job)
        return
    with WorkerPool(_parse_one, workers) as pool:
        yield from zip((job[0] for job in jobs), pool.map(jobs), strict=True)
