"""`nianbao export`: the current version of every report, as JSON lines, one wide CSV row each, or an Excel workbook."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TextIO

import click

from db.export import csv_keys, export_objects, write_csv
from db.export_rows import headers, report_rows
from db.export_xlsx import write_xlsx
from db.store import Store, utc_now
from nianbao.errors import InputError
from nianbao.options import db_option, existing_store


@click.command("export")
@click.option("--year", type=int, default=None, help="Only reports of this year.")
@click.option("--county", "county_code", default=None, help="Only reports of this county (6-digit code).")
@click.option("--csv", "as_csv", is_flag=True,
              help="CSV (UTF-8 with BOM, opens in Excel/WPS): one row per report: county and agency, key totals, "
                   "parser version and crawl, one column per cell.")
@click.option("--xlsx", "as_xlsx", is_flag=True,
              help="Excel workbook (needs --output): reports, one sheet per section under the template's headers, "
                   "open findings, and where the data came from.")
@click.option("--labels", type=click.Choice(["keys", "zh"]), default="keys", show_default=True,
              help="CSV headers: cell keys (requests.received.natural_person) or Chinese labels "
                   "(申请情况·一、本年新收政府信息公开申请数量·自然人).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@db_option
@click.pass_context
def command(ctx: click.Context, year: int | None, county_code: str | None, as_csv: bool, as_xlsx: bool, labels: str,
            output: Path | None, db_path: Path | None) -> None:
    """Export the current reports (JSON lines in the shape of `nianbao parse --json`, CSV or Excel)."""
    if as_csv and as_xlsx:
        raise click.UsageError("--csv 和 --xlsx 只能选一个")
    if as_xlsx and output is None:
        raise click.UsageError("--xlsx 写入文件：请用 --output 指定，如 --output 年报2024.xlsx")
    with Store.open_reading(*existing_store(ctx, db_path)) as store:
        if as_xlsx and output is not None:
            command_line = "nianbao " + shlex.join(sys.argv[1:]) if sys.argv else "nianbao export --xlsx"
            count = write_xlsx(output, store, csv_keys(store, year, county_code), year, county_code,
                               exported_at=utc_now(), command=command_line)
        elif as_csv:
            keys = csv_keys(store, year, county_code)
            with _text_out(output) as out:
                count = write_csv(out, headers(keys, "zh" if labels == "zh" else "keys"),
                                  report_rows(store, keys, year, county_code))
        else:
            count = 0
            with _text_out(output, bom=False) as out:
                for data in export_objects(store, year, county_code):
                    out.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")
                    count += 1
    click.echo(f"已导出 {count} 份报告" + (f"到 {output}" if output else ""), err=True)


class _text_out:
    """The output file, or standard output, as UTF-8 text (with a BOM for CSV, so Excel reads it as UTF-8)."""

    def __init__(self, output: Path | None, bom: bool = True) -> None:
        self.output, self.encoding = output, "utf-8-sig" if bom else "utf-8"
        self.stream: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.output is not None:
            try:
                self.stream = self.output.open("w", encoding=self.encoding, newline="")
            except OSError as error:
                raise InputError(f"{self.output}: 无法写入导出文件（{error.strerror}）") from error
            return self.stream
        stdout = sys.stdout
        if stdout.encoding and stdout.encoding.lower().replace("-", "") != "utf8" and hasattr(stdout, "reconfigure"):
            stdout.reconfigure(encoding="utf-8")
        if self.encoding == "utf-8-sig":
            stdout.write("\ufeff")
        return stdout

    def __exit__(self, *exc_info: object) -> None:
        if self.stream is not None:
            self.stream.close()
