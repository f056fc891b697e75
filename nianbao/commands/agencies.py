"""`nianbao agencies`: record that an agency no longer exists, so its missing reports stop being flagged."""

from __future__ import annotations

from pathlib import Path

import click

from checks.agencies import agency_key
from db import finding_states, retirements
from db.store import Store
from db.timestamps import utc_now
from nianbao.options import db_option, existing_store, who_am_i


@click.group("agencies")
def command() -> None:
    """Agencies that are expected to publish, and those that no longer exist."""


@command.command("retire")
@click.argument("name")
@click.option("--county", required=True, help="6-digit division code of the agency's county.")
@click.option("--since", "since_year", type=click.IntRange(1990, 2100), required=True,
              help="First report year the agency no longer owes (e.g. the year it was merged).")
@click.option("--reason", required=True, help="Why, in a few words (e.g. 并入县市场监管局).")
@click.option("--by", "author", default=None, help="Who decided (default: your login name).")
@db_option
@click.pass_context
def retire(ctx: click.Context, name: str, county: str, since_year: int, reason: str, author: str | None,
           db_path: Path | None) -> None:
    """Record that agency NAME of --county owes no report from --since on; its open missing reports of those years
    are dismissed with the reason, and checks no longer expect it."""
    if not (len(county) == 6 and county.isdigit()):
        raise click.BadParameter(f"{county!r} 不是6位行政区划代码", param_hint="--county")
    if not reason.strip():
        raise click.BadParameter("请写明原因", param_hint="--reason")
    who, now, key = author or who_am_i(), utc_now(), agency_key(name.strip())
    with Store.open(*existing_store(ctx, db_path)) as store:
        retirements.retire(store.db, county=county, agency=name.strip(), since_year=since_year, reason=reason.strip(),
                           by=who, now=now)
        # Its open missing reports from that year on are dismissed now (not announced as fixed), with the reason.
        closed = [row for row in finding_states.open_missing_reports(store.db, county, since_year)
                  if agency_key(row["agency"]) == key]
        for row in closed:
            finding_states.dismiss(store.db, row["id"], by=who, now=now,
                                   reason=f"单位已撤销或合并，自{since_year}年度起不再发布年报：{reason.strip()}")
    click.echo(f"已记录：{county} {name.strip()} 自{since_year}年度起不再需要发布年报（{reason.strip()}）；"
               f"排除其未发布年报的问题{len(closed)}项。")


@command.command("retired")
@db_option
@click.pass_context
def retired(ctx: click.Context, db_path: Path | None) -> None:
    """List the agencies recorded as no longer existing."""
    with Store.open(*existing_store(ctx, db_path)) as store:
        rows = retirements.retirements(store.db)
    if not rows:
        click.echo("没有记录撤销的单位。")
    for row in rows:
        click.echo(f"{row['county_code']} {row['agency']} 自{row['since_year']}年度起：{row['reason']}"
                   f"（{row['retired_by']}，{row['retired_at'][:10]}）")
