"""`nianbao status`: what the store holds: last crawl per county, reports by year, open findings, pending alerts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from alerts.digest import SEVERITY_NAMES
from alerts.fixlist import JOB_NAMES, JOB_OUTCOME_NAMES
from checks.model import rule_name
from crawler.tally import status_label
from db.status import StoreStatus, store_status
from db.store import Store
from nianbao.commands.crawl import pad
from nianbao.options import db_option, existing_store, json_option


def status_lines(status: StoreStatus, db_path: Path) -> list[str]:
    """The one-screen status report."""
    lines = [f"数据库：{db_path}", "", "各县区最近一次爬取："]
    if not status.crawls:
        lines.append("  （尚未爬取：运行 `nianbao crawl --sites sites.csv`）")
    for crawl in status.crawls:
        when = (crawl["finished_at"] or crawl["started_at"] or "").replace("T", " ").removesuffix("Z")
        outcome = status_label(crawl["status"])
        lines.append(f"  {crawl['county_code']} {pad(crawl['county_name'] or '', 8)}{when} UTC  {pad(outcome, 12)}"
                     f"年报 {crawl['reports_found'] or 0}（新增 {crawl['new'] or 0}，更新 {crawl['changed'] or 0}）"
                     + (f"  {crawl['message']}" if crawl["message"] else ""))
        if crawl.get("departments_listed"):
            lines.append(f"      部门子站：列出 {crawl['departments_listed']} · "
                         f"进入 {crawl['subsites_visited'] or 0} · 找到年报栏目 {crawl['report_columns'] or 0}"
                         + (f" · 无年报栏目：{crawl['without_column']}" if crawl["without_column"] else ""))
    lines += directory_lines(status)
    total = sum(status.reports_by_year.values())
    by_year = " · ".join(f"{year}年度 {count}份" for year, count in status.reports_by_year.items()) or "无"
    lines += ["", f"现行年报：{by_year}（共 {total} 份）", "", "未解决的问题（按规则）："]
    if not status.findings_by_rule:
        lines.append("  无（爬取后运行 `nianbao check`）")
    for rule, severities in status.findings_by_rule.items():
        counts = " ".join(f"{SEVERITY_NAMES.get(severity, severity)} {count}" for severity, count in severities.items())
        lines.append(f"  {rule:<22}{pad(counts, 14)}{rule_name(rule)}")
    pending = sum(status.pending_alerts.values())
    lines += ["", f"待发提醒：{pending}"
              + ("" if not pending else "（" + "，".join(f"{r} {n}" for r, n in status.pending_alerts.items()) + "）")]
    if status.last_jobs:
        jobs = " · ".join(f"{JOB_NAMES.get(job['job'], job['job'])}"
                          f"{JOB_OUTCOME_NAMES.get(job['outcome'], job['outcome'])}（{job['started_at']}）"
                          for job in status.last_jobs)
        lines.append(f"最近的调度任务：{jobs}")
        lines += [f"  {JOB_NAMES.get(job['job'], job['job'])}：{job['error']}" for job in status.last_jobs
                  if job.get("error")]
    return lines


def directory_lines(status: StoreStatus) -> list[str]:
    """Per county, the departments its portal lists: with a report found, and listed with none."""
    if not status.directory:
        return []
    names = {crawl["county_code"]: crawl["county_name"] or "" for crawl in status.crawls}
    lines = ["", "门户列出的部门："]
    for county, entry in status.directory.items():
        lines.append(f"  {county} {pad(names.get(county, ''), 8)}列出 {entry['listed']} · "
                     f"已找到年报 {len(entry['with_reports'])} · "
                     f"列出但未找到年报 {len(entry['without_reports'])}")
        if entry["without_reports"]:
            lines.append(f"      列出但未找到年报：{'、'.join(entry['without_reports'])}")
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
