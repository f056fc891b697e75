"""Options shared by subcommands, so the same thing has the same name everywhere."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from nianbao.config import Config, StorePaths
from nianbao.errors import DatabaseError


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="SQLite database (default: from nianbao.toml, else nianbao-data/nianbao.db); documents go "
             "beside it unless [paths] data_dir is set.",
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


def store_paths(ctx: click.Context, db_path: Path | None) -> StorePaths:
    """The database (--db, else nianbao.toml) and its documents folder, by the rule of Config.store_paths."""
    return config_of(ctx).store_paths(db_path)


def existing_store(ctx: click.Context, db_path: Path | None) -> StorePaths:
    """The store a read command works on; DatabaseError if it does not exist (never create an empty one)."""
    paths = store_paths(ctx, db_path)
    if not paths.db.is_file():
        raise DatabaseError(f"{paths.db}: 这里没有数据库（请先运行 `nianbao crawl` 或 `nianbao ingest`，"
                            "或用 --db 指定）")
    return paths


def who_am_i() -> str:
    """The login name of the person running the command (recorded with what they decide)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
