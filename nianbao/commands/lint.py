"""`nianbao lint FILE|FOLDER...`: check report drafts before publishing (no crawl, no store, no configuration)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks.lint import lint_files, read_previous
from checks.lint_text import HISTORY_NOTE, document_json, document_lines, unreadable_hint
from nianbao.commands.parse import expand_paths
from nianbao.errors import DraftErrors
from nianbao.options import json_option
from parsers import ParseError
from parsers.pool import default_workers
from samples.drafts import SAMPLE_DRAFT


def draft_files(paths: tuple[Path, ...]) -> list[Path]:
    """The documents given, folders walked; Word's lock files (~$草稿.docx) are not drafts."""
    return [path for path in expand_paths(paths) if not path.name.startswith("~$")]


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--year", type=click.IntRange(2008, 2100), default=None,
              help="The report year, when the draft does not state it (title or statistics period).")
@click.option("--previous", "previous_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Last year's published report of the same office (file or folder, repeatable): also checks "
                   "上年结转, 现行有效件数 and copying.")
@click.option("--sample", is_flag=True, help="Check the sample draft that comes with nianbao (two planted problems).")
@json_option
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], year: int | None, previous_paths: tuple[Path, ...],
            sample: bool, as_json: bool) -> None:
    """Check drafts (DOCX, PDF, DOC/WPS, text) with every rule that needs only the document, before publishing.

    Exit code 0: no error; 6: a draft has errors; 1: a file could not be read."""
    files = draft_files(paths) + ([SAMPLE_DRAFT] if sample else [])
    if not files:
        raise click.UsageError("请给出草稿文件或文件夹（或用 --sample）")
    previous = read_previous(list(expand_paths(previous_paths)))
    failed = clean = with_errors = 0
    unpaired: list[str] = []
    for path, outcome in lint_files(files, year=year, previous=previous, workers=default_workers(len(files))):
        if isinstance(outcome, ParseError):
            failed += 1
            click.echo(f"错误：{outcome}（{unreadable_hint(outcome)}）", err=True)
            if as_json:
                click.echo(json.dumps({"file": str(path), "error": outcome.message, "reason": outcome.reason},
                                      ensure_ascii=False))
            continue
        with_errors += outcome.count("error") > 0
        clean += not outcome.findings
        if outcome.skipped:
            unpaired.append(str(path))
        if as_json:
            click.echo(json.dumps(document_json(str(path), outcome), ensure_ascii=False))
        else:
            click.echo("\n".join(document_lines(str(path), outcome)))
    if not as_json:
        if unpaired and not previous:
            click.echo(HISTORY_NOTE)
        elif unpaired:
            click.echo(f"--previous 中没有同一单位的上年报告，未做上年比对：{'、'.join(unpaired)}")
        if len(files) > 1:
            click.echo(f"共{len(files)}份：{clean}份未发现问题，{with_errors}份有错误"
                       + (f"，{failed}份无法读取" if failed else ""))
    if failed:
        ctx.exit(1)
    if with_errors:
        raise DraftErrors(f"{with_errors}份草稿有错误，改正后再发布")
