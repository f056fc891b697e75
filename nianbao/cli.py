"""The `nianbao` command: thin; each subcommand lives in nianbao/commands/ and calls one library function."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sqlite3
import sys
import traceback
from typing import NoReturn

import click

from db.sqlite_errors import sqlite_words
from nianbao import __version__
from nianbao.errors import DatabaseError, NianbaoError
from nianbao.sections import load_checked_config

# name → module in nianbao.commands exporting a click command called `command`.
COMMANDS = {
    "parse": "parse",
    "ingest": "ingest",
    "export": "export",
    "serve": "serve",
    "crawl": "crawl",
    "check": "check",
    "alerts": "alerts",
    "schedule": "schedule",
    "status": "status",
    "agencies": "agencies",
    "findings": "findings",
    "ocr": "ocr",
    "demo": "demo",
    "lint": "lint",
}


class LazyGroup(click.Group):
    """Loads a subcommand's module only when it runs, so `nianbao parse` does not import Scrapy."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, module in COMMANDS.items() if _module_exists(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None or not _module_exists(module):
            return None
        return importlib.import_module(f"nianbao.commands.{module}").command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except NianbaoError as error:
            fail(ctx, str(error), error.exit_code)
        except sqlite3.OperationalError as error:  # e.g. locked by a crawl that is writing: no traceback
            hint = "（另一个 nianbao 进程正在写入，请等它结束后再试）" if "locked" in str(error) else ""
            fail(ctx, f"数据库出错：{sqlite_words(error)}{hint}", DatabaseError.exit_code)


def fail(ctx: click.Context, message: str, exit_code: int) -> NoReturn:
    """One `错误：` line and the error's exit code; -v adds the traceback but never changes the code."""
    if ctx.find_root().params.get("verbose"):
        traceback.print_exc()
    click.echo(f"错误：{message}", err=True)
    ctx.exit(exit_code)


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(f"nianbao.commands.{module}") is not None


EXIT_CODES = ("Exit codes: 0 done · 1 some work failed · 2 bad input or configuration · 3 database · "
              "4 email not delivered · 5 too many sites failed · 6 errors found in a draft (nianbao lint) "
              "(see README, Errors and exit codes).")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="nianbao")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: ./nianbao.toml if present).")
@click.option("-v", "--verbose", count=True, help="More logging; tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: int, quiet: bool) -> None:
    """nianbao 年报: find, parse, check and alert on government information-disclosure annual reports."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet
    try:
        ctx.obj["config"] = load_checked_config(config_path)
    except NianbaoError as error:
        fail(ctx, str(error), error.exit_code)
