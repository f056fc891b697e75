"""`nianbao crawl --sites FILE`: crawl county portals for annual reports into the store."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from crawler.run import CrawlSummary, crawl
from crawler.settings import crawl_options
from crawler.tally import status_label
from nianbao.errors import NianbaoError, SitesFailedError
from nianbao.options import config_of, db_option, json_option, store_paths


def _progress_printer(enabled: bool) -> Any:
    def show(progress: dict[str, Any]) -> None:
        if enabled:
            click.echo(
                f"\r站点 {progress['sites_reached']}/{progress['sites']} · 页面 {progress['pages']}"
                f" · 年报 {progress['reports']} · 错误 {progress['errors']}"
                f" · 被拦截 {progress['blocked']}   ", nl=False, err=True)
    return show


# The numeric columns: label, width (right-aligned; a Chinese character takes two columns).
_COLUMNS = (("页面", 7), ("年报", 7), ("新增", 6), ("更新", 9), ("错误", 8), ("被拦截", 9))


def summary_table(summary: CrawlSummary) -> str:
    """One line per site, then the totals."""
    header = (pad("代码", 8) + pad("县区", 12) + pad("状态", 12) + "".join(
        " " * (width - 2 * len(label)) + label for label, width in _COLUMNS))
    rule = "-" * (32 + sum(width for _, width in _COLUMNS))
    lines = [header, rule]
    for run in summary.runs:
        name = summary.names.get(run.county_code, "")
        status = status_label(run.status)
        lines.append(f"{run.county_code:<8}{pad(name, 12)}{pad(status, 12)}"
                     f"{run.pages:>7}{run.reports_found:>7}{run.new:>6}{run.changed:>9}{run.errors:>8}{run.blocked:>9}")
    lines.append(rule)
    lines.append(f"{pad('合计', 32)}{summary.total('pages'):>7}{summary.total('reports_found'):>7}"
                 f"{summary.total('new'):>6}{summary.total('changed'):>9}{summary.total('errors'):>8}"
                 f"{summary.total('blocked'):>9}")
    return "\n".join(lines)


def pad(text: str, width: int) -> str:
    """Left-align in `width` terminal columns, counting CJK characters as two."""
    wide = sum(1 for char in text if ord(char) > 0x2E80)
    return text + " " * max(1, width - len(text) - wide)


@click.command("crawl")
@click.option("--sites", "sites_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Sites CSV: code,name,url[,start_urls][,hosts] (UTF-8).")
@db_option
@click.option("--allow-private-networks", is_flag=True,
              help="Allow fetching private/loopback addresses (tests and the demo only).")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="Share one frontier with other crawl processes or machines through this Redis "
                   "(e.g. redis://127.0.0.1:6379/0; default: [crawl] redis_url, empty = no Redis).")
@json_option
@click.pass_context
def command(ctx: click.Context, sites_path: Path, db_path: Path | None, allow_private_networks: bool,
            redis_url: str | None, as_json: bool) -> None:
    """Crawl county portals for 政府信息公开工作年度报告 and store every report found."""
    config = config_of(ctx)
    db, data_dir = store_paths(ctx, db_path)
    verbose = ctx.find_root().obj.get("verbose", 0)
    show = sys.stderr.isatty() and not as_json and not ctx.find_root().obj.get("quiet")
    summary = crawl(sites_path, db, data_dir, config, allow_private_networks, progress=_progress_printer(show),
                    overrides={"redis_url": redis_url} if redis_url is not None else None,
                    log_level="DEBUG" if verbose > 1 else "INFO" if verbose else "WARNING")
    if show:
        click.echo("", err=True)
    failure = summary.too_many_failed(float(crawl_options(config.section("crawl"))["max_failed_share"]))
    if as_json:
        for run in summary.runs:
            click.echo(json.dumps({**asdict(run), "name": summary.names.get(run.county_code)}, ensure_ascii=False))
    else:
        _print_summary(summary)
    if failure:
        raise SitesFailedError(failure)
    if summary.parse_aborted:
        raise NianbaoError(f"{summary.parse_aborted} 份文档解析时进程异常退出或超过时间、内存上限，已记为失败"
                           "（见 documents 表）；其余内容均已保存")


def _print_summary(summary: CrawlSummary) -> None:
    click.echo(summary_table(summary))
    if summary.partial:
        click.echo("（共享队列：其他进程仍在爬取，以上为本进程的部分计数；合并结果由最后结束的进程写入 crawl_runs）")
    if summary.resumed:
        click.echo("（续爬：上次中断的爬取已继续完成）")
    if summary.parse_aborted:
        click.echo(f"注意 {summary.parse_aborted} 份文档解析时进程异常退出或超过时间、内存上限，已记为失败"
                   "（documents 表中状态为 failed）")
    for run in summary.problem_sites:
        click.echo(f"注意 {run.county_code} {summary.names.get(run.county_code, '')}："
                   f"{status_label(run.status)} {run.message}".rstrip())
    for line in coverage_lines(summary):
        click.echo(line)


def coverage_lines(summary: CrawlSummary) -> list[str]:
    """Per county whose portal lists departments: how far the crawl got into their sub-sites."""
    lines = []
    for run in summary.runs:
        if not run.departments_listed:
            continue
        lines.append(f"部门 {run.county_code} {summary.names.get(run.county_code, '')}："
                     f"列出 {run.departments_listed} · 进入子站 {run.subsites_visited} · "
                     f"找到年报栏目 {run.report_columns}"
                     + (f" · 无年报栏目：{run.without_column}" if run.without_column else ""))
    return lines
