"""nianbao's Datasette plugin: the report page's data (tables as printed, findings, archived copy, other years) and
the read-only route serving the archived copies kept under the data directory (`/-/archive/<sha256>`)."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.app import Datasette
from datasette.utils.asgi import Request, Response
from markupsafe import Markup

from checks.model import RULE_NAMES
from db.report_layout import extra_keys, report_tables, template_of
from db.search import fts_query
from parsers.schema import key_info

DATABASE_NAME = "nianbao"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_DATA_DIRS: weakref.WeakKeyDictionary[Datasette, Path] = weakref.WeakKeyDictionary()


def set_data_dir(datasette: Datasette, data_dir: Path) -> None:
    """Where this Datasette's archived documents are (the store's data directory)."""
    _DATA_DIRS[datasette] = data_dir


async def _rows(datasette: Datasette, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
    result = await datasette.get_database(DATABASE_NAME).execute(sql, params)
    return [dict(row) for row in result.rows]


REPORT_SQL = """
SELECT r.id, r.title, r.agency, r.agency_id, r.kind, r.county_code, c.name AS county_name, r.year, r.version,
  r.is_current, r.template, r.published_on, r.page_date, r.first_seen, r.source_url, r.sha256, r.parse_status,
  r.parser_version, r.document_id, d.status AS document_status, d.last_seen AS document_last_seen
FROM reports r LEFT JOIN counties c ON c.code = r.county_code LEFT JOIN documents d ON d.id = r.document_id
WHERE r.id = ?"""

ARCHIVE_SQL = """
SELECT v.sha256, v.size, v.path, v.first_seen FROM document_versions v
WHERE v.document_id = ? AND v.sha256 = ? AND v.path IS NOT NULL"""

NEIGHBOUR_SQL = """
SELECT (SELECT id FROM reports WHERE agency_id = :agency AND is_current = 1 AND year < :year
        ORDER BY year DESC LIMIT 1) AS previous_id,
       (SELECT year FROM reports WHERE agency_id = :agency AND is_current = 1 AND year < :year
        ORDER BY year DESC LIMIT 1) AS previous_year,
       (SELECT id FROM reports WHERE agency_id = :agency AND is_current = 1 AND year > :year
        ORDER BY year LIMIT 1) AS next_id,
       (SELECT year FROM reports WHERE agency_id = :agency AND is_current = 1 AND year > :year
        ORDER BY year LIMIT 1) AS next_year"""


async def report_page(datasette: Datasette, report_id: str) -> dict[str, Any] | None:
    """Everything the report page shows besides Datasette's own row: None when the report does not exist."""
    found = await _rows(datasette, REPORT_SQL, [report_id])
    if not found:
        return None
    report = found[0]
    cells = {row.pop("key"): row for row in await _rows(
        datasette, "SELECT key, number, state, raw, unit FROM report_values WHERE report_id = ?", [report["id"]])}
    findings = await _rows(
        datasette, """SELECT id, rule, severity, keys, expected, found, message, resolved_at FROM findings
                      WHERE report_id = ? ORDER BY resolved_at IS NOT NULL, severity, id""", [report["id"]])
    by_key: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        finding["rule_name"] = RULE_NAMES.get(finding["rule"], finding["rule"])
        finding["severity_name"] = SEVERITY_NAMES.get(finding["severity"], finding["severity"])
        keys = json.loads(finding["keys"] or "[]")
        finding["cells"] = [_key_label(key) for key in keys]
        if finding["resolved_at"] is None:
            for key in keys:
                by_key.setdefault(key, []).append(finding)
    template = template_of(report["template"], report["year"])
    archive = None
    if report["document_id"] is not None and report["sha256"]:
        archived = await _rows(datasette, ARCHIVE_SQL, [report["document_id"], report["sha256"]])
        archive = archived[0] if archived else None
    neighbours: dict[str, Any] = {}
    if report["agency_id"] is not None and report["year"] is not None:
        neighbours = (await _rows(datasette, NEIGHBOUR_SQL, {"agency": report["agency_id"], "year": report["year"]}))[0]
    # A report from before the 2019 template has no national tables: an empty template grid would only mislead.
    tables = [] if report["template"] == "pre2019" else report_tables(template, cells, by_key)
    return {"report": report, "layout_template": template, "tables": tables,
            "findings": findings, "extra_cells": [(key, cells[key]) for key in extra_keys(template, cells)],
            "archive": archive, "neighbours": neighbours}


def _key_label(key: str) -> str:
    info = key_info(key)
    return f"{info.row_label}·{info.column_label}" if info else key


def titles(datasette: Datasette) -> dict[str, str]:
    """Database and table names → their Chinese titles in the metadata (for breadcrumbs)."""
    database = datasette.metadata("databases", fallback=False) or {}
    named = {name: about.get("title") for name, about in database.items() if about.get("title")}
    for about in database.values():
        named.update({name: table["title"] for name, table in (about.get("tables") or {}).items()
                      if table.get("title")})
    return named


@hookimpl
def extra_template_vars(view_name: str, table: str | None, request: Request | None,
                        datasette: Datasette) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def variables() -> dict[str, Any]:
        found: dict[str, Any] = {"nianbao_titles": titles(datasette)}
        if view_name == "row" and table == "reports" and request is not None:
            found["nianbao_report"] = await report_page(datasette, request.url_vars.get("pks", ""))
        return found

    return variables


async def archived_document(request: Request, datasette: Datasette) -> Response:
    """The stored bytes of one document version, read-only, named by their SHA-256 and checked against it."""
    sha256 = request.url_vars["sha256"]
    rows = await _rows(datasette, """SELECT v.path, v.first_seen, d.content_type, d.url FROM document_versions v
                                     JOIN documents d ON d.id = v.document_id
                                     WHERE v.sha256 = ? AND v.path IS NOT NULL ORDER BY v.id LIMIT 1""", [sha256])
    data_dir = _DATA_DIRS.get(datasette)
    if not rows or data_dir is None:
        return Response.text(f"没有保存内容为 SHA-256 {sha256} 的文件", status=404)
    row = rows[0]
    documents = (data_dir / "documents").resolve()
    path = (data_dir / row["path"]).resolve()
    if not path.is_relative_to(documents) or not path.is_file():
        return Response.text(f"存档文件 {row['path']} 不在数据目录 {data_dir} 中（已被移动或删除）", status=404)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        return Response.text(f"存档文件 {row['path']} 已损坏：内容与 SHA-256 {sha256} 不符", status=500)
    content_type = row["content_type"] or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") and "charset" not in content_type and path.suffix == ".txt":
        content_type += "; charset=utf-8"
    headers = {
        # A stored page is shown, never run: no script of a portal's page runs on this origin.
        "content-security-policy": "sandbox", "x-content-type-options": "nosniff",
        "content-disposition": f'inline; filename="{path.name}"',
        "x-nianbao-sha256": sha256, "x-nianbao-fetched": row["first_seen"],
    }
    return Response(data, status=200, headers=headers, content_type=content_type)


# Views whose report_id column links to the report page (tables link through their foreign keys already).
REPORT_LINK_VIEWS = ("problems", "report_summary", "coverage", "report_values")


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str) -> Markup | None:
    if database == DATABASE_NAME and table in REPORT_LINK_VIEWS and column == "report_id" and isinstance(value, int):
        return Markup(f'<a href="/{DATABASE_NAME}/reports/{value}">{value}</a>')
    return None


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    """Datasette's search box goes through escape_fts: nianbao's makes each word a phrase of its characters for
    the per-character index reports_chars (Datasette registers its own first; this one, last, replaces it)."""
    conn.create_function("escape_fts", 1, fts_query)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/archive/(?P<sha256>[0-9a-f]{64})$", archived_document)]
