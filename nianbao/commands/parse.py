"""`nianbao parse FILE...`: read report documents and print the normalized reports."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from checks.labels import TABLE_NAMES
from checks.lint_text import TEMPLATE_NAMES
from nianbao.options import json_option
from parsers import ParsedReport, ParseError
from parsers.identity import SOURCE_NAMES
from parsers.pool import default_workers, parse_many

DOCUMENT_SUFFIXES = {".html", ".htm", ".shtml", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls"}


def expand_paths(paths: tuple[Path, ...]) -> Iterator[Path]:
    """Files as given; folders walked recursively for report documents, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            yield path


def summary_line(report: ParsedReport) -> str:
    """One readable line: agency, year, template, cells read, blanks, warnings."""
    states = list(report.states.values())
    blanks = states.count("blank")
    texts = states.count("text")
    source = SOURCE_NAMES.get(report.agency_source or "", report.agency_source)
    parts = [
        f"{report.agency or '（未识别单位）'}" + (f"（依据{source}，可信度{report.agency_confidence:.2f}）"
                                             if source and report.agency_confidence is not None else ""),
        f"{report.year or '?'}年",
        TEMPLATE_NAMES.get(report.template, "未能识别模板"),
        f"{len(states)} 个单元格",
        f"{blanks} 个空白",
    ]
    if texts:
        parts.append(f"{texts} 个文字")
    if report.ocr:
        parts.append(f"扫描件 OCR, {len(report.uncertain)} uncertain 不确定")
    if report.published_on:
        parts.append(f"发布 {report.published_on}")
    missing = [name for name in ("active", "requests", "reviews") if name not in report.tables]
    if missing and report.template != "pre2019":
        parts.append("缺少表格：" + "、".join(TABLE_NAMES[name] for name in missing))
    return " · ".join(parts)


@click.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@json_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parser processes (default: one per core when there are many files).")
@click.option("--county", default=None, metavar="NAME",
              help="County the reports come from (泽州县): a bare name such as 县人社局 becomes 泽州县人社局.")
def command(paths: tuple[Path, ...], as_json: bool, workers: int | None, county: str | None) -> None:
    """Parse report documents (HTML, DOCX, PDF, DOC/WPS, XLSX, text) into normalized reports."""
    files = list(expand_paths(paths))
    failed = 0
    show_progress = len(files) > 20 and sys.stderr.isatty()
    outcomes = parse_many(files, workers or default_workers(len(files)), county=county)
    with click.progressbar(outcomes, length=len(files), label="parsing", file=sys.stderr,
                           hidden=not show_progress) as bar:
        for path, report in bar:
            if isinstance(report, ParseError):
                failed += 1
                click.echo(f"错误：{report}", err=True)
                continue
            if as_json:
                click.echo(json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False))
            else:
                click.echo(f"{path}: {summary_line(report)}")
                for warning in report.warnings:
                    click.echo(f"    提示：{warning}")
    if not as_json:
        click.echo(f"解析成功 {len(files) - failed} 份，失败 {failed} 份", err=True)
    if failed:
        sys.exit(1)
