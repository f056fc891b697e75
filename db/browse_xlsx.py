"""The `.xlsx` download Datasette offers beside CSV and JSON on every table, view and query (nianbao's own
renderer, openpyxl): column headers in Chinese (the metadata's column descriptions), a 说明 sheet saying which
page, when, which parser versions and which crawls the rows came from."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.app import Datasette
from datasette.utils.asgi import Request, Response
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_headers(datasette: Datasette, database: str, table: str | None, columns: list[str]) -> list[str]:
    """A table's column names as the metadata describes them (状态：parsed … → 状态); query columns as named."""
    if not table:
        return list(columns)
    described = datasette.table_metadata(database, table).get("columns") or {}
    return [str(described.get(column) or column).split("：")[0] for column in columns]


def _cell(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} 字节的二进制数据>"
    return value


async def _provenance(datasette: Datasette, database: str) -> tuple[str, str]:
    db = datasette.get_database(database)
    parsers = await db.execute(
        "SELECT group_concat(version, '、') FROM (SELECT DISTINCT parser_version AS version FROM reports "
        "WHERE is_current = 1 AND parser_version IS NOT NULL ORDER BY 1)")
    crawls = await db.execute("SELECT count(*), min(started_at), max(started_at) FROM crawl_runs")
    count, first, last = crawls.first()
    crawl_text = f"{count} 次，{first} 至 {last}" if count else "无（报告由 nianbao ingest 导入）"
    return parsers.first()[0] or "无", crawl_text


async def render_xlsx(datasette: Datasette, columns: list[str], rows: list[Any], request: Request, database: str,
                      table: str | None, query_name: str | None, sql: str | None, data: dict[str, Any]) -> Response:
    book = Workbook()
    sheet = book.active
    name = table or query_name or "query"
    sheet.title = "数据"
    sheet.append(column_headers(datasette, database, table, columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    parsers, crawls = await _provenance(datasette, database)
    about = book.create_sheet("说明")
    for line in (("来源页面", request.url.replace(".xlsx", "", 1)), ("导出时间（UTC）",
                 datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")), ("行数", len(rows)),
                 ("解析器版本（报告中）", parsers), ("抓取批次", crawls), ("SQL", sql or "")):
        about.append(list(line))
    if data.get("next"):
        about.append(["注意", f"只含本页的 {len(rows)} 行，后面还有：网址中加 _size=max 可多取（最多 2000 行），"
                              "全部报告请用 nianbao export --xlsx"])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    filename = f"{name}.xlsx"
    headers = {"content-disposition": f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"}
    return Response(buffer.getvalue(), headers=headers, content_type=XLSX_TYPE)


@hookimpl
def register_output_renderer(datasette: Datasette) -> dict[str, Any]:
    return {"extension": "xlsx", "render": render_xlsx}
