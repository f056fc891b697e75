"""Ingest many files with parsing spread over worker processes; the store writes in this process, in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from db.hashing import sha256_hex
from db.store import IngestOutcome, Store
from nianbao.errors import NianbaoError
from parsers import document_bytes, parse_bytes
from parsers.errors import ParseError
from parsers.hints import Hints
from parsers.report import ParsedReport
from parsers.workers import WorkerPool

Job = tuple[Path, str, bool, Hints]


def _parse_job(url: str, path: Path, needed: bool, hints: Hints) -> ParsedReport | ParseError | None:
    """In a worker: parse the file as Store.ingest would (None when the store has these bytes already)."""
    if not needed:
        return None
    try:
        return parse_bytes(document_bytes(path), url, None, hints=hints)
    except ParseError as error:
        return error
    except OSError:
        return None  # the store's own read fails too and reports it for this file
    except Exception as error:  # a reader bug must not stop the other files
        return ParseError(url, f"程序内部错误（{type(error).__name__}：{error}），请把此文件报告给维护者")


def ingest_files(store: Store, paths: Iterable[Path], *, county_code: str | None = None,
                 workers: int = 1) -> Iterator[tuple[Path, IngestOutcome | Exception]]:
    """(path, outcome, or the OSError/NianbaoError that stopped it) for each file, in the order given.

    Files whose bytes the store already holds, parsed, are not parsed again (as Store.ingest does)."""
    jobs: list[Job] = []
    county = store.county_name(county_code)
    for path in paths:
        url = path.resolve().as_uri()
        try:
            known = store.document_by_url(url)
            needed = not (known and known["status"] == "parsed" and known["sha256"] == sha256_hex(document_bytes(path)))
        except OSError:
            needed = True  # reading fails again below, with the error reported for this file
        # The file name often names the agency and year (泽州县人社局2023年政府信息公开工作年度报告.pdf).
        jobs.append((path, url, needed, Hints(county=county, file_name=path.stem)))
    if workers <= 1:
        results: Iterator[ParsedReport | ParseError | None] = (_parse_job(url, path, needed, hints)
                                                                for path, url, needed, hints in jobs)
        yield from _store_all(store, jobs, results, county_code)
        return
    # A worker that dies on one file costs that file only (parsers.workers), recorded as failed.
    with WorkerPool(_parse_job, workers) as pool:
        arguments = ((url, path, needed, hints) for path, url, needed, hints in jobs)
        yield from _store_all(store, jobs, pool.map(arguments), county_code)


def _store_all(store: Store, jobs: list[Job], results: Iterator[ParsedReport | ParseError | None],
               county_code: str | None) -> Iterator[tuple[Path, IngestOutcome | Exception]]:
    for (path, url, _, hints), parsed in zip(jobs, results, strict=True):
        try:
            yield path, store.ingest(document_bytes(path), url=url, county_code=county_code, parsed=parsed, hints=hints)
        except (OSError, NianbaoError) as error:
            yield path, error
