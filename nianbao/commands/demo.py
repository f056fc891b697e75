"""`nianbao demo`: the main job on bundled sample data (for now: parse the bundled sample reports)."""

from __future__ import annotations

from pathlib import Path

import click

from nianbao.commands.parse import summary_line
from parsers import ParseError, parse_file

DEMO_REPORTS = Path(__file__).resolve().parent.parent / "demo_reports"


@click.command("demo")
def command() -> None:
    """Parse the bundled sample reports and print a summary table."""
    files = sorted(DEMO_REPORTS.glob("*.txt"))
    if not files:
        raise click.ClickException(f"no sample reports found in {DEMO_REPORTS}")
    click.echo(f"nianbao demo: parsing {len(files)} bundled sample reports\n")
    for path in files:
        try:
            report = parse_file(path)
        except ParseError as error:
            click.echo(f"  {path.name}: 错误 error: {error.message}")
            continue
        click.echo(f"  {path.name}: {summary_line(report)}")
        for warning in report.warnings:
            click.echo(f"      warning: {warning}")
