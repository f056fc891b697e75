"""`nianbao findings list|show|dismiss|reopen|note`: look at findings and say what a person decided about them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from checks.model import RULE_NAMES
from db import finding_states
from db.store import Store
from db.timestamps import utc_now
from nianbao.errors import InputError
from nianbao.options import db_option, existing_store, json_option, who_am_i

EVENT_NAMES = {"dismissed": "排除", "reopened": "重新打开", "note": "备注"}


def _line(row: dict[str, Any]) -> str:
    year = f"{row['year']}年度" if row.get("year") else ""
    status = finding_states.STATUS_NAMES[row["status"]]
    return (f"#{row['id']:<6}{status}  {row.get('county_code') or ''} {row.get('agency') or ''} {year} "
            f"{RULE_NAMES.get(row['rule'], row['rule'])}：{row.get('message') or ''}")


def _one(store: Store, finding_id: int) -> dict[str, Any]:
    try:
        return finding_states.finding(store.db, finding_id)
    except finding_states.FindingNotFound:
        raise InputError(f"没有编号为 #{finding_id} 的问题（见 `nianbao findings list`）") from None


@click.group("findings")
def command() -> None:
    """Findings: list and show them, dismiss those that do not apply, reopen, add notes."""


@command.command("list")
@click.option("--status", type=click.Choice([*finding_states.STATUSES, "all"]), default="open", show_default=True)
@click.option("--county", default=None, help="Division code or its prefix.")
@click.option("--rule", default=None, help="Rule code, e.g. balance.")
@click.option("--agency", default=None, help="Part of the agency's name.")
@json_option
@db_option
@click.pass_context
def list_findings(ctx: click.Context, status: str, county: str | None, rule: str | None, agency: str | None,
                  as_json: bool, db_path: Path | None) -> None:
    """One line per finding: id, status, county, agency, year, what is wrong."""
    with Store.open(*existing_store(ctx, db_path)) as store:
        rows = finding_states.find(store.db, status=None if status == "all" else status, county=county, rule=rule,
                                   agency=agency)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False) if as_json else _line(row))
    if not as_json:
        click.echo(f"共{len(rows)}项", err=True)


@command.command("show")
@click.argument("finding_id", type=int)
@json_option
@db_option
@click.pass_context
def show(ctx: click.Context, finding_id: int, as_json: bool, db_path: Path | None) -> None:
    """Everything about one finding, with its history of decisions and notes."""
    with Store.open(*existing_store(ctx, db_path)) as store:
        row = _one(store, finding_id)
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False))
        return
    lines = [_line(row),
             f"  单位：{row.get('county_name') or ''}（{row.get('county_code') or ''}）{row.get('agency') or ''}",
             f"  规则：{row['rule']}（{RULE_NAMES.get(row['rule'], '')}），首次发现 {row['first_seen'][:10]}，"
             f"最近发现 {row['last_seen'][:10]}"]
    if row.get("title"):
        lines.append(f"  报告：{row['title']}")
    if row.get("url"):
        lines.append(f"  原文：{row['url']}")
    if row.get("keys") and row["keys"] != "[]":
        lines.append(f"  涉及单元格：{'、'.join(json.loads(row['keys']))}")
    if row.get("resolved_at"):
        lines.append(f"  已整改：{row['resolved_at'][:10]}")
    if row.get("dismissed_at"):
        lines.append(f"  已排除：{row['dismissed_at'][:10]}，{row['dismissed_by']}：{row['dismissed_reason']}")
    for note in row["notes"]:
        lines.append(f"  {note['created_at'][:16].replace('T', ' ')} {EVENT_NAMES.get(note['event'], note['event'])}"
                     f"（{note['author'] or ''}）：{note['text'] or ''}")
    click.echo("\n".join(lines))


@command.command("dismiss")
@click.argument("finding_id", type=int)
@click.option("--reason", required=True, help="Why it does not apply (e.g. 该局已于2024年并入县发改局).")
@click.option("--by", "author", default=None, help="Who decided (default: your login name).")
@db_option
@click.pass_context
def dismiss(ctx: click.Context, finding_id: int, reason: str, author: str | None, db_path: Path | None) -> None:
    """Say that a finding does not apply: it is not alerted again, unless its report changes."""
    if not reason.strip():
        raise click.BadParameter("请写明原因", param_hint="--reason")
    with Store.open(*existing_store(ctx, db_path)) as store:
        _one(store, finding_id)
        finding_states.dismiss(store.db, finding_id, by=author or who_am_i(), reason=reason.strip(), now=utc_now())
    click.echo(f"#{finding_id} 已排除：{reason.strip()}。报告有新版本时会重新核查。")


@command.command("reopen")
@click.argument("finding_id", type=int)
@click.option("--reason", default=None, help="Why.")
@click.option("--by", "author", default=None, help="Who decided (default: your login name).")
@db_option
@click.pass_context
def reopen(ctx: click.Context, finding_id: int, reason: str | None, author: str | None, db_path: Path | None) -> None:
    """Take a dismissal back."""
    with Store.open(*existing_store(ctx, db_path)) as store:
        row = _one(store, finding_id)
        if row["status"] != "dismissed":
            raise InputError(f"问题 #{finding_id} 未被排除（{finding_states.STATUS_NAMES[row['status']]}）")
        finding_states.reopen(store.db, finding_id, by=author or who_am_i(), reason=reason, now=utc_now())
    click.echo(f"#{finding_id} 已重新打开。")


@command.command("note")
@click.argument("finding_id", type=int)
@click.argument("text")
@click.option("--by", "author", default=None, help="Who writes (default: your login name).")
@db_option
@click.pass_context
def note(ctx: click.Context, finding_id: int, text: str, author: str | None, db_path: Path | None) -> None:
    """Add a remark to a finding (a phone call, a promise to fix)."""
    with Store.open(*existing_store(ctx, db_path)) as store:
        _one(store, finding_id)
        finding_states.add_note(store.db, finding_id, by=author or who_am_i(), text=text, now=utc_now())
    click.echo(f"#{finding_id} 已添加备注。")
