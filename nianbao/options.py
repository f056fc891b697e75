"""Options shared by subcommands, so the same thing has the same name everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from nianbao.config import Config


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="SQLite database (default: from nianbao.toml, else nianbao-data/nianbao.db).",
    )(function)


def json_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON lines on stdout.")(function)


def as_of_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Judge deadlines as of this date (YYYY-MM-DD; default: today).",
    )(function)


def config_of(ctx: click.Context) -> Config:
    return ctx.find_root().obj["config"]


def resolve_db(ctx: click.Context, db_path: Path | None) -> Path:
    return db_path or config_of(ctx).db_path


def existing_db(ctx: click.Context, db_path: Path | None) -> Path:
    """The database a read command works on; DatabaseError if it does not exist (never create an empty one)."""
    from nianbao.errors import DatabaseError

    path = resolve_db(ctx, db_path)
    if not path.is_file():
        raise DatabaseError(f"{path}: no database here (run `nianbao crawl` or `nianbao ingest` first, or pass --db)")
    return path
