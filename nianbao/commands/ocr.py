"""`nianbao ocr`: the OCR stage. Stored documents left as needs_ocr (image-only PDFs met while the OCR extra was
missing, or whose OCR ran out of time) are read by OCR in worker processes and stored as reports.

Resumable: each document is stored as soon as it is read, so a run stopped halfway goes on where it stopped.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from db.store import Store
from nianbao.errors import NianbaoError
from nianbao.options import db_option, existing_store
from parsers import ParseError, parse_bytes
from parsers.ocr import INSTALL_HINT, available
from parsers.report import ParsedReport
from parsers.workers import WorkerLimits, WorkerPool

_PENDING = """SELECT d.url, d.final_url, d.county_code, d.content_type, v.path
    FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.sha256 = d.sha256
    WHERE d.status = 'unsupported' AND d.error LIKE 'needs_ocr:%' ORDER BY d.id"""


def _read(source: str, path: Path, content_type: str | None) -> ParsedReport | ParseError:
    """In a worker: parse the kept bytes (the PDF reader hands image-only pages to OCR)."""
    try:
        return parse_bytes(path.read_bytes(), source, content_type)
    except ParseError as error:
        return error
    except OSError as error:
        return ParseError(source, f"cannot read the kept document {path}: {error.strerror}")
    except Exception as error:  # a reader bug must not stop the other documents
        return ParseError(source, f"internal parser error: {type(error).__name__}: {error}")


@click.command("ocr")
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="OCR processes (each uses one core).")
@click.option("--timeout", type=click.FloatRange(min=1), default=900.0, show_default=True,
              help="Seconds one document may take (about 10-20 s per page).")
@click.pass_context
def command(ctx: click.Context, db_path: Path | None, workers: int, timeout: float) -> None:
    """Read the stored image-only reports (status needs_ocr) by OCR and store them as reports."""
    if not available():
        raise NianbaoError(f"nianbao ocr {INSTALL_HINT}")
    paths = existing_store(ctx, db_path)
    store = Store.open(paths.db, paths.data_dir)
    with store:
        pending = [dict(zip(("url", "final_url", "county_code", "content_type", "path"), row, strict=True))
                   for row in store.db.conn.execute(_PENDING).fetchall()]
        counts: Counter[str] = Counter()
        failures: list[str] = []
        jobs = [(row["final_url"] or row["url"], store.data_dir / row["path"], row["content_type"]) for row in pending]
        with WorkerPool(_read, workers, WorkerLimits(seconds=timeout)) as pool, \
                click.progressbar(zip(pending, pool.map(jobs), strict=True), length=len(jobs), label="OCR 识别",
                                  file=sys.stderr, show_pos=True, hidden=not sys.stderr.isatty()) as bar:
            for row, parsed in bar:
                data = (store.data_dir / row["path"]).read_bytes()
                outcome = store.ingest(data, url=row["url"], final_url=row["final_url"],
                                       county_code=row["county_code"], content_type=row["content_type"],
                                       parsed=parsed)
                counts[outcome.status] += 1
                if outcome.status == "failed":
                    failures.append(outcome.error or row["url"])
    for failure in failures:
        click.echo(f"失败 failed: {failure}", err=True)
    stored = counts["new"] + counts["changed"] + counts["unchanged"]
    click.echo(f"{len(pending)} 份待识别 pending, {stored} stored 已入库, {counts['failed']} failed 失败", err=True)
    if counts["failed"]:
        sys.exit(1)
