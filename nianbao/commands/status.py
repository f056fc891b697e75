"""`nianbao status`: what the store holds: last crawl per county, reports by year, open findings, pending alerts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks.model import rule_name
from crawler.tally import status_label
from db.status import StoreStatus, store_status
from db.store import Store
from nianbao.options import db_option, existing_store, json_option


def status_lines(status: StoreStatus, db_path: Path) -> list[str]:
    """The one-screen status report."""
    lines = [f"数据库 database: {db_path}", "", "最近一次爬取 last crawl per county:"]
    if not status.crawls:
        lines.append("  (never crawled: run `nianbao crawl --sites sites.csv`)")
    for crawl in status.crawls:
        when = (crawl["finished_at"] or crawl["started_at"] or "").replace("T", " ").removesuffix("Z")
        outcome = status_label(crawl["status"])
        lines.append(f"  {crawl['county_code']} {crawl['county_name'] or '':<6} {when} UTC  {outcome:<12} "
                     f"reports {crawl['reports_found'] or 0} (new {crawl['new'] or 0}, changed {crawl['changed'] or 0})"
                     + (f"  {crawl['message']}" if crawl["message"] else ""))
        if crawl.get("departments_listed"):
            lines.append(f"      部门子站 sub-sites: 列出 {crawl['departments_listed']} · "
                         f"进入 {crawl['subsites_visited'] or 0} · 找到年报栏目 {crawl['report_columns'] or 0}"
                         + (f" · 无年报栏目: {crawl['without_column']}" if crawl["without_column"] else ""))
    lines += directory_lines(status)
    total = sum(status.reports_by_year.values())
    by_year = " · ".join(f"{year}: {count}" for year, count in status.reports_by_year.items()) or "none"
    lines += ["", f"年报 current reports by year: {by_year} (total {total})", "", "未解决问题 open findings by rule:"]
    if not status.findings_by_rule:
        lines.append("  none (run `nianbao check` after a crawl)")
    for rule, severities in status.findings_by_rule.items():
        counts = " ".join(f"{severity} {count}" for severity, count in severities.items())
        lines.append(f"  {rule:<22}{counts:<20}{rule_name(rule)}")
    pending = sum(status.pending_alerts.values())
    lines += ["", f"待发提醒 pending alerts: {pending}"
              + ("" if not pending else " (" + ", ".join(f"{r} {n}" for r, n in status.pending_alerts.items()) + ")")]
    if status.last_jobs:
        jobs = " · ".join(f"{job['job']} {job['outcome'] or 'running'} {job['started_at']}" for job in status.last_jobs)
        lines.append(f"调度任务 last scheduler jobs: {jobs}")
    return lines


def directory_lines(status: StoreStatus) -> list[str]:
    """Per county, the departments its portal lists: with a report found, and listed with none."""
    if not status.directory:
        return []
    names = {crawl["county_code"]: crawl["county_name"] or "" for crawl in status.crawls}
    lines = ["", "门户列出的部门 departments listed on the portal:"]
    for county, entry in status.directory.items():
        lines.append(f"  {county} {names.get(county, ''):<6} 列出 listed {entry['listed']} · "
                     f"已找到年报 report found {len(entry['with_reports'])} · "
                     f"列出但未找到年报 listed, no report found {len(entry['without_reports'])}")
        if entry["without_reports"]:
            lines.append(f"      列出但未找到年报: {'、'.join(entry['without_reports'])}")
    return lines


@click.command("status")
@db_option
@json_option
@click.pass_context
def command(ctx: click.Context, db_path: Path | None, as_json: bool) -> None:
    """Show the last crawl of each county, reports by year, open findings by rule and pending alerts."""
    paths = existing_store(ctx, db_path)
    with Store.open_reading(*paths) as store:
        status = store_status(store.db)
    if as_json:
        click.echo(json.dumps({"database": str(paths.db), **status.as_json()}, ensure_ascii=False))
        return
    click.echo("\n".join(status_lines(status, paths.db)))
