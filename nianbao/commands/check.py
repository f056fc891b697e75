"""`nianbao check`: run every rule of checks.md over the store and record the findings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from alerts.wiring import CheckAlertWiring
from checks.model import RULE_NAMES, SEVERITIES
from checks.service import CheckRun
from db.store import Store
from nianbao.commands.crawl import pad
from nianbao.options import as_of_option, config_of, db_option, existing_store, json_option


def summary_lines(run: CheckRun) -> list[str]:
    """The summary by rule and severity that `nianbao check` prints."""
    sync = run.sync
    lines = [f"检查了 {run.reports} 份报告 · 问题 {len(run.findings)} 项 · "
             f"新发现 {sync.new} · 仍未解决 {sync.updated + sync.reopened} · 已整改 {sync.resolved}"]
    table = run.by_rule()
    if table:
        lines.append(f"{pad('规则', 22)}   错误     警告  提示  ")
        for rule, counts in table.items():
            cells = "".join(f"{counts.get(s, 0):>{w}}" for s, w in zip(SEVERITIES, (7, 9, 6), strict=True))
            lines.append(f"{rule:<22}{cells}  {RULE_NAMES[rule]}")
    return lines


@click.command("check")
@as_of_option
@json_option
@db_option
@click.option("--watch", "watch_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Watch list agencies.csv (county code, agency name, optional email); default: [checks] watch.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes checking counties side by side (default: one per core from 2,000 reports on).")
@click.pass_context
def command(ctx: click.Context, as_of: datetime | None, as_json: bool, db_path: Path | None,
            watch_path: Path | None, workers: int | None) -> None:
    """Check every stored report (sums, template, cross-year, deadlines) and record the findings."""
    wiring = CheckAlertWiring.from_config(config_of(ctx), watch_path)
    with Store.open(*existing_store(ctx, db_path)) as store:
        run = wiring.run_checks(store.db, as_of=as_of.date() if as_of else None, workers=workers)
    if as_json:
        for finding in run.findings:
            click.echo(json.dumps(finding.to_json(), ensure_ascii=False))
        return
    for line in summary_lines(run):
        click.echo(line)
