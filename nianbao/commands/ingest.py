"""`nianbao ingest PATH...`: parse report files and store them (new, changed, unchanged, failed)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from db.bulk import ingest_files
from db.store import Store
from nianbao.commands.parse import expand_paths
from nianbao.options import db_option, store_paths
from parsers.pool import default_workers


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--county", "county_code", default=None, help="County of these reports (6-digit division code).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parsing processes (default: one per core for 8 files or more). The store writes in one.")
@db_option
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], county_code: str | None, workers: int | None,
            db_path: Path | None) -> None:
    """Store report documents (files or folders, recursively); a changed file adds a new report version."""
    files = list(expand_paths(paths))
    counts: Counter[str] = Counter()
    failures: list[str] = []
    store = Store.open(*store_paths(ctx, db_path))
    outcomes = ingest_files(store, files, county_code=county_code, workers=workers or default_workers(len(files)))
    with store, click.progressbar(outcomes, length=len(files), label="ingesting 入库", file=sys.stderr,
                                  show_pos=True, hidden=not sys.stderr.isatty()) as bar:
        for path, outcome in bar:
            if isinstance(outcome, Exception):
                counts["failed"] += 1
                failures.append(f"{path}: {outcome}")
                continue
            counts[outcome.status] += 1
            if outcome.status == "failed":
                url = path.resolve().as_uri()
                failures.append(f"{path}: {(outcome.error or '').removeprefix(url + ': ')}")
    for failure in failures:
        click.echo(f"失败：{failure}", err=True)
    click.echo(
        f"新增 {counts['new']}，更新 {counts['changed']}，未变 {counts['unchanged']}，失败 {counts['failed']}"
        + (f"，不完整未采用 {counts['degraded']}" if counts["degraded"] else ""), err=True,
    )
    if counts["failed"]:
        sys.exit(1)
