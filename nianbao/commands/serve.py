"""`nianbao serve`: browse the store in Datasette, read-only, on 127.0.0.1 by default."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from alerts import feed
from alerts.wiring import CheckAlertWiring
from db.browse import make_datasette
from db.browse_access import ReaderAccess
from db.browse_guard import allowed_hosts
from db.store import Store
from nianbao.options import config_of, db_option, existing_store


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Host name clients may use besides 127.0.0.1/localhost (repeatable; e.g. the server's DNS name).")
@click.pass_context
def command(ctx: click.Context, db_path: Path | None, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Serve the database in Datasette (read-only): tables, canned queries, search and charts."""
    import uvicorn

    paths = existing_store(ctx, db_path)
    path = paths.db
    # Create or upgrade the schema first; Datasette itself only reads (SQLite ?mode=ro).
    Store.open_reading(*paths).close()
    config = config_of(ctx)
    access = ReaderAccess.from_section(config.section("serve"))
    datasette = make_datasette(path, hosts=allowed_hosts(host, allow_hosts), data_dir=paths.data_dir, access=access,
                               plugins=[feed])
    # The recipients' feeds follow the recipients of this configuration, as `nianbao alerts send` routes them.
    feed.set_subscriptions(datasette, CheckAlertWiring.from_config(config))
    asyncio.run(datasette.invoke_startup())
    click.echo(f"年报数据：在 http://{host}:{port}/ 只读浏览 {path}", err=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
