"""`nianbao export`: the current version of every report, as JSON lines or one wide CSV row each."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from db.export import csv_keys, export_objects, write_csv
from db.store import Store
from nianbao.options import db_option, existing_store


@click.command("export")
@click.option("--year", type=int, default=None, help="Only reports of this year.")
@click.option("--county", "county_code", default=None, help="Only reports of this county (6-digit code).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: one row per report, one column per cell key.")
@db_option
@click.pass_context
def command(ctx: click.Context, year: int | None, county_code: str | None, as_csv: bool, db_path: Path | None) -> None:
    """Export the current reports (JSON lines in the shape of `nianbao parse --json`, or CSV)."""
    with Store.open_reading(*existing_store(ctx, db_path)) as store:
        if as_csv:
            keys = csv_keys(store, year, county_code)
            count = write_csv(sys.stdout, store.current_reports(year=year, county_code=county_code), keys)
        else:
            count = 0
            for data in export_objects(store, year, county_code):
                click.echo(json.dumps(data, ensure_ascii=False, allow_nan=False))
                count += 1
    click.echo(f"{count} reports exported", err=True)
