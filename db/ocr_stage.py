"""The OCR stage: stored documents left as needs_ocr (image-only PDFs, article pages whose tables are pictures) read
by OCR in worker processes and stored as reports, each a new parse of the same document version.

A crawl stores such documents without reading them (OCR takes seconds a page); `nianbao ocr` and the scheduler's
ocr job run this stage. Resumable: each document is stored as soon as it is read, so a run stopped halfway goes
on where it stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.store import Store
from nianbao.config_values import Keys, number, whole
from parsers import Limits, ParseError, parse_bytes
from parsers.hints import Hints
from parsers.report import ParsedReport
from parsers.workers import WorkerLimits, WorkerPool

DEFAULTS: dict[str, Any] = {
    "workers": 1,  # processes, each on one core
    "timeout": 900,  # seconds one document may take (about 10-20 s a page)
    "page_timeout": 120,  # seconds one page or picture may take; past it the page is skipped, the report partial
}
# [ocr] as nianbao.toml may set it.
OCR_KEYS: Keys = {"workers": whole(1), "timeout": number(0, above=True), "page_timeout": number(0, above=True)}
INSTALL_COMMAND = "pip install 'nianbao[ocr]'"

_PENDING = """SELECT d.url, d.final_url, d.referer, d.county_code, d.content_type, d.etag, d.last_modified,
    d.page_title, d.page_date, v.path
    FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.sha256 = d.sha256
    WHERE d.status = 'unsupported' AND d.error LIKE 'needs_ocr:%' ORDER BY d.id"""


def ocr_options(section: dict[str, Any]) -> dict[str, Any]:
    """The [ocr] section over the defaults."""
    return {**DEFAULTS, **section}


def pending_count(store: Store) -> int:
    """Documents waiting for the OCR stage."""
    return int(store.db.execute(f"SELECT count(*) FROM ({_PENDING})").fetchone()[0])


def _read(source: str, path: Path, content_type: str | None, hints: Hints | None,
          page_timeout: float) -> ParsedReport | ParseError:
    """In a worker: parse the kept bytes (the readers hand pages and pictures without text to OCR)."""
    try:
        return parse_bytes(path.read_bytes(), source, content_type, Limits(ocr_page_timeout=page_timeout), hints)
    except ParseError as error:
        return error
    except OSError as error:
        return ParseError(source, f"无法读取已保存的文件 {path}：{error.strerror}")
    except Exception as error:  # a reader bug must not stop the other documents
        return ParseError(source, f"解析程序内部错误：{type(error).__name__}: {error}")


@dataclass
class OcrRun:
    """What one run of the stage did: documents pending, counts by ingest outcome, the failures' errors."""

    pending: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.counts["new"] + self.counts["changed"] + self.counts["unchanged"]

    def as_counts(self) -> dict[str, Any]:
        return {"pending": self.pending, "stored": self.stored, "failed": self.counts["failed"]}


def run_ocr_stage(store: Store, options: dict[str, Any],
                  progress: Callable[[Iterator[Any], int], Iterator[Any]] | None = None) -> OcrRun:
    """Read every pending document by OCR and store it; `progress` wraps the iteration (a progress bar)."""
    rows = [dict(row) for row in store.db.query(_PENDING)]
    run = OcrRun(pending=len(rows))
    jobs = [(row["final_url"] or row["url"], store.data_dir / row["path"], row["content_type"],
             store.parser_hints(row["final_url"] or row["url"], county_code=row["county_code"],
                                page_title=row["page_title"]), float(options["page_timeout"])) for row in rows]
    with WorkerPool(_read, int(options["workers"]), WorkerLimits(seconds=float(options["timeout"]))) as pool:
        outcomes: Iterator[Any] = zip(rows, pool.map(jobs), strict=True)
        for row, parsed in progress(outcomes, len(jobs)) if progress else outcomes:
            data = (store.data_dir / row["path"]).read_bytes()
            outcome = store.ingest(data, url=row["url"], final_url=row["final_url"], referer=row["referer"],
                                   county_code=row["county_code"], content_type=row["content_type"],
                                   etag=row["etag"], last_modified=row["last_modified"],
                                   page_title=row["page_title"], page_date=row["page_date"], parsed=parsed)
            run.counts[outcome.status] += 1
            if outcome.status == "failed":
                run.failures.append(outcome.error or row["url"])
    return run
