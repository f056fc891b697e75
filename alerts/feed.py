"""An Atom feed per county (or prefix: 1405 for a whole city) of findings found, fixed and dismissed, served by
`nianbao serve` at /-/feeds/<code>.atom, so that anyone can subscribe without an account (a Datasette plugin
module: db.browse.make_datasette(..., plugins=[alerts.feed]))."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from datasette import Response, hookimpl

from checks.model import rule_name

FEED_SIZE = 200  # latest events per feed
EVENT_NAMES = {"found": "发现问题", "fixed": "已整改", "dismissed": "已排除"}
DATABASE_NAME = "nianbao"

# One row per event of a finding: found (first_seen), fixed (resolved_at), dismissed (dismissed_at).
_EVENTS_SQL = f"""
SELECT * FROM (
  SELECT f.id, 'found' AS event, f.first_seen AS at, f.rule, f.agency, f.year, f.message, f.report_id, f.url,
         NULL AS reason, NULL AS who
  FROM findings f WHERE f.county_code LIKE :prefix
  UNION ALL
  SELECT f.id, 'fixed', f.resolved_at, f.rule, f.agency, f.year, f.message, f.report_id, f.url, NULL, NULL
  FROM findings f WHERE f.county_code LIKE :prefix AND f.resolved_at IS NOT NULL
  UNION ALL
  SELECT f.id, 'dismissed', f.dismissed_at, f.rule, f.agency, f.year, f.message, f.report_id, f.url,
         f.dismissed_reason, f.dismissed_by
  FROM findings f WHERE f.county_code LIKE :prefix AND f.dismissed_at IS NOT NULL
) ORDER BY at DESC, id DESC LIMIT {FEED_SIZE}"""


def _entry(row: dict[str, Any], base: str) -> str:
    rule = rule_name(row["rule"]) or row["rule"]
    year = f"{row['year']}年度" if row["year"] else ""
    title = f"【{EVENT_NAMES[row['event']]}】{row['agency'] or ''} {year} {rule}".strip()
    summary = row["message"] or ""
    if row["event"] == "dismissed":
        summary = f"排除原因：{row['reason'] or ''}（{row['who'] or ''}）。原问题：{summary}"
    link = (f"{base}/{DATABASE_NAME}/reports/{row['report_id']}" if row["report_id"] is not None
            else f"{base}/{DATABASE_NAME}/findings/{row['id']}")
    return (f"<entry><id>{escape(base)}/{DATABASE_NAME}/findings/{row['id']}#{row['event']}</id>"
            f"<title>{escape(title)}</title><updated>{escape(row['at'])}</updated>"
            f'<link rel="alternate" href="{escape(link)}"/>'
            f"<summary>{escape(summary)}</summary></entry>")


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/feeds/(?P<code>\d{2,6})\.atom$", county_feed)]


async def county_feed(datasette: Any, request: Any) -> Response:
    code = request.url_vars["code"]
    database = datasette.get_database(DATABASE_NAME)
    names = await database.execute("SELECT name FROM counties WHERE code = ?", [code])
    name = next((row[0] for row in names.rows if row[0]), code)
    result = await database.execute(_EVENTS_SQL, {"prefix": code + "%"})
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    base = f"{request.scheme}://{request.host}"
    updated = rows[0]["at"] if rows else "1970-01-01T00:00:00Z"
    feed = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{escape(base)}/-/feeds/{code}.atom</id><title>{escape(name)}政府信息公开年报监测：问题动态</title>"
            f'<link rel="self" href="{escape(base)}/-/feeds/{code}.atom"/><updated>{escape(updated)}</updated>'
            "<author><name>nianbao 年报监测</name></author>"
            + "".join(_entry(row, base) for row in rows) + "</feed>\n")
    return Response(feed, content_type="application/atom+xml; charset=utf-8")
