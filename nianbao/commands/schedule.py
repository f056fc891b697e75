"""`nianbao schedule`: run crawl → ocr → check → alerts on a schedule in the foreground, or one cycle with --once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from alerts.fixlist import JOB_NAMES, JOB_OUTCOME_NAMES
from nianbao.options import config_of, db_option


@click.command("schedule")
@click.option("--once", is_flag=True, help="Run one full cycle (crawl, OCR, check, alerts) now and exit.")
@db_option
@click.pass_context
def command(ctx: click.Context, once: bool, db_path: Path | None) -> None:
    """Crawl daily in the reporting season (Feb 1–Apr 30) and weekly otherwise, then check and alert."""
    import scheduler

    pipeline = scheduler.pipeline_of(config_of(ctx), db_path)
    if not once:
        click.echo(f"nianbao 调度程序已启动（北京时间）；站点列表 {pipeline.schedule.sites}；"
                   "按 Ctrl-C 或发送 SIGTERM，会在当前任务完成后停止", err=True)
        scheduler.run_forever(pipeline)
        return
    outcomes = pipeline.cycle()
    for job, outcome in outcomes.items():
        click.echo(f"{JOB_NAMES.get(job, job)}：{JOB_OUTCOME_NAMES.get(outcome, outcome)}")
    if any(outcome != "ok" for outcome in outcomes.values()):
        sys.exit(1)
