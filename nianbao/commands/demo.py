"""`nianbao demo`: the whole main job, offline, on bundled sample county portals; then Datasette on the result."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import click

from alerts.digest import SEVERITY_NAMES
from checks.model import rule_name
from nianbao.commands.crawl import pad, summary_table
from nianbao.commands.serve import command as serve_command
from nianbao.errors import NianbaoError
from nianbao.options import json_option
from nianbao.sections import load_checked_config


def _crawl_progress(enabled: bool) -> Any:
    def show(progress: dict[str, Any]) -> None:
        if enabled:
            click.echo(f"\r   站点 {progress['sites_reached']}/{progress['sites']}"
                       f" · 页面 {progress['pages']} · 年报 {progress['reports']}   ", nl=False, err=True)
    return show


def summary_lines(result: Any) -> list[str]:
    """The one-screen summary: crawl per county, reports by county and year, findings by rule, emails."""
    status = result.status
    names = {crawl["county_code"]: crawl.get("county_name") or "" for crawl in status.crawls}
    years = sorted(status.reports_by_year)
    lines = [summary_table(result.crawl), "", "找到的年报（按县区、年度）："]
    lines.append("  " + f"{'':<16}" + "".join(f"{year:>7}" for year in years) + " " * 4 + "合计")
    for county, counts in status.reports_by_county.items():
        label = f"{county} {names.get(county, '')}"
        lines.append("  " + pad(label, 16) + "".join(f"{counts.get(year, 0):>7}" for year in years)
                     + f"{sum(counts.values()):>8}")
    lines += ["", "未解决的问题（按规则）："]
    for rule, severities in status.findings_by_rule.items():
        counts = " ".join(f"{SEVERITY_NAMES.get(severity, severity)} {count}" for severity, count in severities.items())
        lines.append(f"  {rule:<22}{pad(counts, 12)}{rule_name(rule)}")
    lines += ["", f"已保存 {len(result.emails)} 封邮件（可用任何邮件程序打开）："]
    lines += [f"  {path}" for path in result.emails]
    lines.append(f"数据库：{result.db_path}（可运行 nianbao status --db {result.db_path}）")
    return lines


def check_port_free(port: int) -> None:
    """Fail before the work, not after it, when Datasette could not listen on 127.0.0.1:port."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise NianbaoError(f"127.0.0.1:{port} 已被占用或无法使用（errno {error.errno}）：请用 --port 指定空闲端口，"
                               "或加 --no-serve") from error


def _as_json(result: Any) -> dict[str, Any]:
    return {"output": str(result.output), "database": str(result.db_path),
            "emails": [str(path) for path in result.emails], **result.status.as_json()}


@click.command("demo")
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"),
              show_default=True, help="Folder for the database, the documents and the .eml files.")
@click.option("--no-serve", is_flag=True, help="Stop after emailing; do not start Datasette.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535),
              help="Port for Datasette on 127.0.0.1.")
@click.option("--watch", "watch_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Watch list agencies.csv (county code, agency name, optional email) for the demo's check and "
                   "alerts, as in [checks] watch.")
@json_option
@click.pass_context
def command(ctx: click.Context, output: Path, no_serve: bool, port: int, watch_path: Path | None,
            as_json: bool) -> None:
    """Run the main job offline on sample county portals (crawl, parse, store, check, email), then browse it."""
    from samples.demo_run import run_demo

    if not no_serve:
        check_port_free(port)
    root = ctx.find_root().obj
    chatty = not as_json and not root.get("quiet")
    show_progress = chatty and sys.stderr.isatty()

    def step(text: str) -> None:
        if show_progress:
            click.echo("", err=True)  # end the progress line
        if chatty:
            click.echo(f"-> {text}", err=True)

    verbose = root.get("verbose", 0)
    result = run_demo(output, step=step, crawl_progress=_crawl_progress(show_progress),
                      datasette_url=f"http://127.0.0.1:{port}/nianbao",
                      # The blocked county is expected: its warning is in the summary, not worth a log line.
                      log_level="DEBUG" if verbose > 1 else "INFO" if verbose else "ERROR", watch=watch_path)
    if show_progress:
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps(_as_json(result), ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(result)))
    if no_serve:
        return
    click.echo(f"\n在浏览器中打开 http://127.0.0.1:{port}/nianbao ；县区评分表："
               f"http://127.0.0.1:{port}/nianbao/county_scorecard?county=990101 （按 Ctrl-C 停止）", err=True)
    # Serve with the demo's configuration: its recipients' Atom feeds (the links at the foot of its emails).
    ctx.find_root().obj["config"] = load_checked_config(result.output / "nianbao.toml")
    ctx.invoke(serve_command, db_path=result.db_path, host="127.0.0.1", port=port)
