"""Atom feeds of findings found, fixed and dismissed, served by `nianbao serve` so that anyone can subscribe
without an account (a Datasette plugin module: db.browse.make_datasette(..., plugins=[alerts.feed])):

- /-/feeds/<code>.atom: a county (or a prefix: 1405 for a whole city), every rule;
- /-/feeds/recipients/<name>.atom: what one [[alerts.recipients]] entry's digests cover (its counties, rules and
  severities, or a watch-list contact's agency; only the rules that raise alerts), selected by alerts.routing as
  the digests are. `nianbao serve` passes the recipients of its configuration (set_subscriptions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape

from datasette import Response, hookimpl

from alerts.routing import feed_path, feed_scope, wants
from alerts.settings import Recipient
from alerts.wiring import CheckAlertWiring
from checks.model import rule_name

FEED_SIZE = 200  # latest events per feed
EVENT_NAMES = {"found": "发现问题", "fixed": "已整改", "dismissed": "已排除"}
DATABASE_NAME = "nianbao"

# One row per event of a finding: found (first_seen), fixed (resolved_at), dismissed (dismissed_at).
_COLUMNS = "f.id, f.rule, f.severity, f.county_code, f.agency, f.year, f.message, f.report_id, f.url"
_EVENTS_SQL = """
SELECT * FROM (
  SELECT {columns}, 'found' AS event, f.first_seen AS at, NULL AS reason, NULL AS who
  FROM findings f WHERE {where}
  UNION ALL
  SELECT {columns}, 'fixed', f.resolved_at, NULL, NULL FROM findings f WHERE {where} AND f.resolved_at IS NOT NULL
  UNION ALL
  SELECT {columns}, 'dismissed', f.dismissed_at, f.dismissed_reason, f.dismissed_by
  FROM findings f WHERE {where} AND f.dismissed_at IS NOT NULL
) ORDER BY at DESC, id DESC"""


@dataclass(frozen=True)
class Subscriptions:
    """What the recipients' feeds follow: the configured recipients (and watch-list contacts), and the rules whose
    findings are alerted ([checks] alert_rules; None: all)."""

    recipients: tuple[Recipient, ...] = ()
    alert_rules: frozenset[str] | None = None


def set_subscriptions(datasette: Any, wiring: CheckAlertWiring) -> None:
    """Give the feeds of this Datasette the recipients of the configuration `nianbao serve` was started with: those
    of [alerts] and the watch list's contacts, and [checks] alert_rules, as `nianbao alerts send` reads them."""
    rules = wiring.check_settings.alert_rules
    datasette.nianbao_subscriptions = Subscriptions(
        tuple(wiring.recipients()), frozenset(rules) if rules is not None else None)


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


def _feed(rows: list[dict[str, Any]], base: str, path: str, title: str) -> Response:
    updated = rows[0]["at"] if rows else "1970-01-01T00:00:00Z"
    feed = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{escape(base + path)}</id><title>{escape(title)}</title>"
            f'<link rel="self" href="{escape(base + path)}"/><updated>{escape(updated)}</updated>'
            "<author><name>nianbao 年报监测</name></author>"
            + "".join(_entry(row, base) for row in rows) + "</feed>\n")
    return Response(feed, content_type="application/atom+xml; charset=utf-8")


async def _events(datasette: Any, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    database = datasette.get_database(DATABASE_NAME)
    result = await database.execute(_EVENTS_SQL.format(columns=_COLUMNS, where=where), params)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/feeds/(?P<code>\d{2,6})\.atom$", county_feed),
            (r"^/-/feeds/recipients/(?P<name>[^/]+)\.atom$", recipient_feed)]


async def county_feed(datasette: Any, request: Any) -> Response:
    code = request.url_vars["code"]
    names = await datasette.get_database(DATABASE_NAME).execute("SELECT name FROM counties WHERE code = ?", [code])
    name = next((row[0] for row in names.rows if row[0]), code)
    rows = (await _events(datasette, "f.county_code LIKE :prefix", {"prefix": code + "%"}))[:FEED_SIZE]
    return _feed(rows, f"{request.scheme}://{request.host}", f"/-/feeds/{code}.atom",
                 f"{name}政府信息公开年报监测：问题动态")


async def recipient_feed(datasette: Any, request: Any) -> Response:
    name = unquote(request.url_vars["name"])  # Datasette routes the raw (percent-encoded) path
    subscriptions: Subscriptions = getattr(datasette, "nianbao_subscriptions", Subscriptions())
    scope = feed_scope(subscriptions.recipients, name)
    if not scope:
        return Response.text(f"没有名为“{name}”的接收方：订阅地址中的名称应为配置文件 [[alerts.recipients]] 中的 "
                             "name（未设 name 的为其电子邮件地址）", status=404)
    rules = subscriptions.alert_rules
    where, params = "1", {}
    if rules is not None:
        where = "f.rule IN (" + ", ".join(f":rule{n}" for n in range(len(rules))) + ")"
        params = {f"rule{n}": rule for n, rule in enumerate(sorted(rules))}
    rows = []
    for row in await _events(datasette, where, params):
        item = {"kind": "finding", "rule": row["rule"], "severity": row["severity"], "county": row["county_code"],
                "agency": row["agency"]}
        if any(wants(recipient, item) for recipient in scope):
            rows.append(row)
            if len(rows) == FEED_SIZE:
                break
    return _feed(rows, f"{request.scheme}://{request.host}", feed_path(name),
                 f"{name}订阅的政府信息公开年报监测：问题动态")
