"""One digest per recipient: plain text and HTML in Chinese, grouped by county → agency → severity."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from checks.model import RULE_NAMES

Item = Mapping[str, Any]
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = ("error", "warning", "info")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def clean_header(text: str, limit: int = 160) -> str:
    """A header value without line breaks or control characters (no header injection from report titles)."""
    return _CONTROL.sub(" ", text).strip()[:limit]


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str


def report_link(base_url: str, item: Item) -> str | None:
    """The Datasette page of the item's report, or None."""
    report_id = item.get("report_id")
    return f"{base_url.rstrip('/')}/reports/{report_id}" if report_id is not None else None


def _county(item: Item) -> str:
    code, name = item.get("county") or "", item.get("county_name") or ""
    if name and code:
        return f"{name}（{code}）"
    return name or code or "（未知县区）"


def _grouped(items: Iterable[Item]) -> dict[str, dict[str, dict[str, list[Item]]]]:
    groups: dict[str, dict[str, dict[str, list[Item]]]] = {}
    for item in sorted(items, key=lambda i: (i.get("county") or "", i.get("agency") or "",
                                             SEVERITY_ORDER.index(i.get("severity", "info")),
                                             i.get("year") or 0, i.get("rule") or "")):
        county = groups.setdefault(_county(item), {})
        agency = county.setdefault(item.get("agency") or "（未识别单位）", {})
        agency.setdefault(item.get("severity", "info"), []).append(item)
    return groups


def _headline(item: Item) -> str:
    year = f"{item['year']}年度" if item.get("year") else ""
    return f"{year}｜{RULE_NAMES.get(item.get('rule', ''), item.get('rule', ''))}：{item.get('message', '')}"


def _operational_line(item: Item) -> str:
    if item.get("kind") == "job":
        return f"任务“{item.get('job')}”{'错过执行时间' if item.get('outcome') == 'misfire' else '运行出错'}：" \
               f"{item.get('error') or ''}（{item.get('started_at') or ''}）"
    if item.get("state") == "recovered":
        return f"{_county(item)}：采集已恢复正常（{item.get('last_run') or ''}）"
    return f"{_county(item)}：连续{item.get('failures')}次采集失败（{item.get('status')}）：{item.get('message') or ''}"


def build_digest(items: list[Item], *, base_url: str, prefix: str = "", today: str = "") -> Digest:
    """The digest of these alert items (findings, resolved findings, crawl and job failures)."""
    new = [i for i in items if i.get("kind") == "finding"]
    resolved = [i for i in items if i.get("kind") == "resolved"]
    operational = [i for i in items if i.get("kind") in ("crawl", "job")]
    parts = []
    if new:
        parts.append(f"{len(new)}项新问题")
    if resolved:
        parts.append(f"{len(resolved)}项已解决")
    if operational:
        parts.append(f"{len(operational)}项采集或任务故障")
    agencies = {i.get("agency") for i in new + resolved if i.get("agency")}
    about = f"{agencies.pop()}：" if len(agencies) == 1 and not operational else ""
    subject = clean_header(f"{prefix}{about}{'，'.join(parts) or '无新情况'}")

    text = [f"以下是年报监测自上次发送以来的新情况{('（' + today + '）') if today else ''}。", ""]
    body = [f"<p>以下是年报监测自上次发送以来的新情况{html.escape(('（' + today + '）') if today else '')}。</p>"]
    numerals = iter("一二三")
    for title, group in ((f"新发现的问题（{len(new)}项）", new), (f"已解决的问题（{len(resolved)}项）", resolved)):
        if not group:
            continue
        heading = f"{next(numerals)}、{title}"
        text += [heading, ""]
        body.append(f"<h2>{html.escape(heading)}</h2>")
        _render_groups(group, base_url, text, body)
    if operational:
        heading = f"{next(numerals)}、采集和任务故障（{len(operational)}项）"
        text += [heading, ""] + [f"  · {_operational_line(i)}" for i in operational] + [""]
        body.append(f"<h2>{html.escape(heading)}</h2><ul>")
        body += [f"<li>{html.escape(_operational_line(i))}</li>" for i in operational]
        body.append("</ul>")
    text.append("此邮件由 nianbao 年报监测自动发送；同一问题只提醒一次，问题解决后另行告知。")
    body.append("<p><small>此邮件由 nianbao 年报监测自动发送；同一问题只提醒一次，问题解决后另行告知。</small></p>")
    page = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(subject)}</title></head><body>{''.join(body)}</body></html>")
    return Digest(subject, "\n".join(text) + "\n", page)


def _render_groups(items: list[Item], base_url: str, text: list[str], body: list[str]) -> None:
    for county, agencies in _grouped(items).items():
        text.append(f"■ {county}")
        body.append(f"<h3>{html.escape(county)}</h3>")
        for agency, severities in agencies.items():
            text.append(f"  ◆ {agency}")
            body.append(f"<h4>{html.escape(agency)}</h4>")
            for severity in SEVERITY_ORDER:
                group = severities.get(severity)
                if not group:
                    continue
                label = f"{SEVERITY_NAMES[severity]}（{len(group)}项）"
                text.append(f"    {label}")
                body.append(f"<p><strong>{html.escape(label)}</strong></p><ul>")
                for item in group:
                    _render_item(item, base_url, text, body)
                body.append("</ul>")
        text.append("")


def _anchor(url: str) -> str:
    """A link for http(s) addresses only; anything else (javascript:, data:, file:) is shown as text."""
    if urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{html.escape(url.strip())}">{html.escape(url)}</a>'
    return html.escape(url)


def _render_item(item: Item, base_url: str, text: list[str], body: list[str]) -> None:
    link = report_link(base_url, item)
    resolved = f"（已于{item['resolved_at'][:10]}解决）" if item.get("resolved_at") else ""
    text.append(f"    · {_headline(item)}{resolved}")
    lines = []
    if item.get("title"):
        text.append(f"      报告：{item['title']}")
        lines.append(f"报告：{html.escape(item['title'])}")
    if item.get("url"):
        text.append(f"      原文：{item['url']}")
        lines.append(f"原文：{_anchor(item['url'])}")
    if link:
        text.append(f"      数据：{link}")
        lines.append(f"数据：{_anchor(link)}")
    body.append(f"<li>{html.escape(_headline(item) + resolved)}<br>{'<br>'.join(lines)}</li>")
