"""`nianbao ocr`: the OCR stage (db/ocr_stage.py). Stored documents left as needs_ocr (image-only PDFs, article
pages whose tables are pictures, met by a crawl or while the OCR extra was missing) are read by OCR in worker
processes and stored as reports. Resumable: each document is stored as soon as it is read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from db.ocr_stage import INSTALL_COMMAND, ocr_options, run_ocr_stage
from db.store import Store
from nianbao.errors import NianbaoError
from nianbao.options import config_of, db_option, existing_store
from parsers.ocr import available


@click.command("ocr")
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="OCR processes (each uses one core); default: [ocr] workers, 1.")
@click.option("--timeout", type=click.FloatRange(min=1), default=None,
              help="Seconds one document may take (about 10-20 s per page); default: [ocr] timeout, 900.")
@click.option("--page-timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds one page or picture may take; a page over it is skipped and the report is partial. "
                   "Default: [ocr] page_timeout, 120.")
@click.pass_context
def command(ctx: click.Context, db_path: Path | None, workers: int | None, timeout: float | None,
            page_timeout: float | None) -> None:
    """Read the stored image-only reports (status needs_ocr) by OCR and store them as reports."""
    if not available():
        raise NianbaoError(f"nianbao ocr 需要安装 OCR 扩展：{INSTALL_COMMAND}")
    options = ocr_options(config_of(ctx).section("ocr"))
    given = {"workers": workers, "timeout": timeout, "page_timeout": page_timeout}
    options.update({key: value for key, value in given.items() if value is not None})
    paths = existing_store(ctx, db_path)

    def progress(outcomes: Iterator[Any], length: int) -> Iterator[Any]:
        with click.progressbar(outcomes, length=length, label="OCR 识别", file=sys.stderr, show_pos=True,
                               hidden=not sys.stderr.isatty()) as bar:
            yield from bar

    with Store.open(paths.db, paths.data_dir) as store:
        run = run_ocr_stage(store, options, progress)
    for failure in run.failures:
        click.echo(f"失败：{failure}", err=True)
    click.echo(f"待识别 {run.pending} 份，已入库 {run.stored} 份，失败 {run.counts['failed']} 份", err=True)
    if run.counts["failed"]:
        sys.exit(1)
