"""`nianbao alerts send`: email what is new since the last send (one digest per recipient)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from alerts.wiring import CheckAlertWiring
from db.store import Store
from nianbao.errors import DeliveryError
from nianbao.options import as_of_option, config_of, db_option, existing_store


@click.group("alerts")
def command() -> None:
    """Email alerts about findings, failing crawls and failing jobs."""


@command.command("send")
@click.option("--dry-run", is_flag=True, help="Print the digests that would be sent; send and record nothing.")
@as_of_option
@db_option
@click.pass_context
def send(ctx: click.Context, dry_run: bool, as_of: datetime | None, db_path: Path | None) -> None:
    """Send what is new since the last send; what cannot be delivered stays pending for the next run."""
    wiring = CheckAlertWiring.from_config(config_of(ctx))
    settings = wiring.alert_settings()  # a mistake in [alerts] or [smtp] stops here, before the store is opened
    with Store.open(*existing_store(ctx, db_path)) as store:
        result = wiring.send_alerts(store.db, settings, dry_run=dry_run,
                                    now=as_of.replace(tzinfo=UTC) if as_of else None)
    if dry_run:
        for recipient, digest in result.digests:
            click.echo(f"收件人：{recipient}\n主题：{digest.subject}\n\n{digest.text}")
        click.echo(f"将发送 {len(result.digests)} 份通知（试运行：没有发送，也没有记录）", err=True)
        return
    click.echo(f"已发送 {len(result.digests) - len(result.failures)} 份通知 · 送达 {result.sent} 条提醒 · "
               f"新排队 {result.queued} 条")
    if result.failures:
        lines = "；".join(f"{recipient}：{error}" for recipient, error in result.failures.items())
        raise DeliveryError(f"{len(result.failures)} 份通知未送达，留待下次发送：{lines}")
