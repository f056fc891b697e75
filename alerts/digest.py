"""One digest per recipient, in Chinese: a fix-list grouped by county → department, each finding with the date it
was first seen, the date to fix it by and what to do; reminders of overdue findings; fixed findings; crawl and job
failures. Rendered as plain text and HTML (email) and as Markdown (group bots)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from alerts.fixlist import CRAWL_STATUS_NAMES, JOB_NAMES, chinese_date, first_seen, fix_by, what_to_do
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
    markdown: str = ""
    # The Markdown and the plain text in pieces that each stand alone (the introduction, then one per department),
    # for services with a size limit (alerts.webhooks.split_message). The Markdown has no title line (the services
    # that render it show the subject as the title); the text begins with the subject.
    markdown_blocks: tuple[str, ...] = ()
    text_blocks: tuple[str, ...] = ()
    # For each block, the positions (in the items given to build_digest) of the alert items it shows, so that a
    # delivery cut short can tell which alerts got through.
    markdown_items: tuple[tuple[int, ...], ...] = ()
    text_items: tuple[tuple[int, ...], ...] = ()


def report_link(base_url: str, item: Item) -> str | None:
    """The report's page (its tables, as nianbao read them), or None."""
    report_id = item.get("report_id")
    return f"{base_url.rstrip('/')}/reports/{report_id}" if report_id is not None else None


def _county(item: Item) -> str:
    code, name = item.get("county") or "", item.get("county_name") or ""
    if name and code:
        return f"{name}（{code}）"
    return name or code or "（未知县区）"


def _grouped(items: Iterable[Item]) -> dict[str, dict[str, list[Item]]]:
    """county → department → findings (errors first)."""
    groups: dict[str, dict[str, list[Item]]] = {}
    for item in sorted(items, key=lambda i: (i.get("county") or "", i.get("agency") or "",
                                             SEVERITY_ORDER.index(i.get("severity") or "info"),
                                             i.get("year") or 0, i.get("rule") or "")):
        groups.setdefault(_county(item), {}).setdefault(item.get("agency") or "（未识别单位）", []).append(item)
    return groups


def _headline(item: Item) -> str:
    year = f"{item['year']}年度" if item.get("year") else ""
    severity = SEVERITY_NAMES.get(item.get("severity") or "", "")
    rule = RULE_NAMES.get(item.get("rule", ""), item.get("rule", ""))
    return f"【{severity}】{year}｜{rule}：{item.get('message', '')}"


def _operational_line(item: Item) -> str:
    if item.get("kind") == "job":
        job = JOB_NAMES.get(item.get("job") or "", item.get("job") or "")
        return f"{job}任务{'错过执行时间' if item.get('outcome') == 'misfire' else '运行出错'}：" \
               f"{item.get('error') or ''}（{item.get('started_at') or ''}）"
    if item.get("state") == "recovered":
        return f"{_county(item)}：采集已恢复正常（{item.get('last_run') or ''}）"
    status = CRAWL_STATUS_NAMES.get(item.get("status") or "", item.get("status") or "")
    return f"{_county(item)}：连续{item.get('failures')}次采集失败（{status}）：{item.get('message') or ''}"


def _summary_line(row: Item) -> str:
    county, agency = row.get("county_name") or row.get("county") or "", row.get("agency") or ""
    where = agency if agency.startswith(county) else f"{county}{agency}"
    overdue = f"（其中逾期{row['overdue']}项）" if row.get("overdue") else ""
    return (f"{where}：待整改{row.get('open') or 0}项{overdue}，"
            f"本周整改{row.get('fixed_this_week') or 0}项，累计整改{row.get('fixed') or 0}项，"
            f"已排除{row.get('dismissed') or 0}项")


@dataclass(frozen=True)
class _Line:
    """One line of an item: a label, its text, and whether the text is an address to link."""

    label: str
    text: str
    link: bool = False


def _lines(item: Item, base_url: str, fix_days: int, today: date | None) -> list[_Line]:
    lines: list[_Line] = []
    kind = item.get("kind")
    seen, deadline = first_seen(item), fix_by(item, fix_days)
    if kind == "resolved":
        if item.get("resolved_at"):
            lines.append(_Line("整改情况", f"已于{chinese_date(date.fromisoformat(item['resolved_at'][:10]))}整改"))
    elif seen and deadline:
        overdue = f"（已逾期{(today - deadline).days}天）" if today and today > deadline else ""
        lines.append(_Line("期限", f"{chinese_date(seen)}首次发现，请于{chinese_date(deadline)}前整改{overdue}"))
        lines.append(_Line("整改要求", what_to_do(item)))
    if item.get("title"):
        lines.append(_Line("报告", item["title"]))
    link = report_link(base_url, item)
    if link:
        lines.append(_Line("报告页面", link, True))
    if item.get("url"):
        label = "上一年度报告" if item.get("rule") == "missing_report" else "网站原文"
        lines.append(_Line(label, item["url"], True))
    return lines


def _anchor(url: str) -> str:
    """A link for http(s) addresses only; anything else (javascript:, data:, file:) is shown as text."""
    if urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{html.escape(url.strip())}">{html.escape(url)}</a>'
    return html.escape(url)


def _md_link(label: str, url: str) -> str:
    if urlsplit(url.strip()).scheme.lower() in ("http", "https") and not re.search(r"[\s()<>]", url.strip()):
        return f"[{label}]({url.strip()})"
    return f"{label}：{_md_text(url)}"


def _md_line(line: _Line) -> str:
    return _md_link(line.label, line.text) if line.link else _md_text(f"{line.label}：{line.text}")


def _md_text(text: str) -> str:
    """Markdown without the characters that would turn report text into markup."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", _CONTROL.sub(" ", text))


def build_digest(items: list[Item], *, base_url: str, prefix: str = "", today: str | date = "", fix_days: int = 15,
                 remind_every_days: int = 7, feed_url: str | None = None) -> Digest:
    """The digest of these alert items (findings, reminders, fixed findings, crawl and job failures); `feed_url`:
    the recipient's Atom feed, given in the footer."""
    day = today if isinstance(today, date) else (date.fromisoformat(today) if today else None)
    new = [i for i in items if i.get("kind") == "finding"]
    reminders = [i for i in items if i.get("kind") == "reminder"]
    resolved = [i for i in items if i.get("kind") == "resolved"]
    operational = [i for i in items if i.get("kind") in ("crawl", "job")]
    summaries = [i for i in items if i.get("kind") == "summary"][-1:]  # a week's summary, once
    parts = []
    if new:
        parts.append(f"{len(new)}项新问题")
    if reminders:
        parts.append(f"{len(reminders)}项逾期未整改")
    if resolved:
        parts.append(f"{len(resolved)}项已整改")
    if operational:
        parts.append(f"{len(operational)}项采集或任务故障")
    if summaries:
        parts.append(f"{summaries[0].get('week')}整改情况汇总")
    agencies = {i.get("agency") for i in new + reminders + resolved if i.get("agency")}
    about = f"{agencies.pop()}：" if len(agencies) == 1 and not operational else ""
    subject = clean_header(f"{prefix}{about}{'，'.join(parts) or '无新情况'}")
    when = f"（{chinese_date(day)}）" if day else ""

    intro = f"以下是年报监测自上次发送以来的新情况{when}，按单位列出需整改的问题和整改期限。"
    text = [intro, ""]
    body = [f"<p>{html.escape(intro)}</p>"]
    position = {id(item): number for number, item in enumerate(items)}
    blocks: list[str] = []
    block_items: list[tuple[int, ...]] = []
    text_blocks: list[str] = [f"{subject}\n{intro}"]
    text_items: list[tuple[int, ...]] = [()]
    numerals = iter("一二三四五")
    for title, group in ((f"新发现的问题（{len(new)}项）", new), (f"逾期未整改的问题（{len(reminders)}项）", reminders),
                         (f"已整改的问题（{len(resolved)}项）", resolved)):
        if not group:
            continue
        heading = f"{next(numerals)}、{title}"
        text += [heading, ""]
        text_blocks.append(heading)
        text_items.append(())
        body.append(f"<h2>{html.escape(heading)}</h2>")
        for county, departments in _grouped(group).items():
            text.append(f"■ {county}")
            body.append(f"<h3>{html.escape(county)}</h3>")
            for department, found in departments.items():
                start = len(text)
                text.append(f"  ◆ {department}（{len(found)}项）")
                body.append(f"<h4>{html.escape(department)}（{len(found)}项）</h4><ul>")
                block = [f"### {_md_text(heading)}｜{_md_text(county)}｜{_md_text(department)}（{len(found)}项）"]
                for item in found:
                    lines = _lines(item, base_url, fix_days, day)
                    text.append(f"    · {_headline(item)}")
                    text += [f"      {line.label}：{line.text}" for line in lines]
                    body.append(f"<li>{html.escape(_headline(item))}<br>" + "<br>".join(
                        f"{html.escape(line.label)}：{_anchor(line.text) if line.link else html.escape(line.text)}"
                        for line in lines) + "</li>")
                    block.append(f"- **{_md_text(_headline(item))}**")
                    block += [f"  - {_md_line(line)}" for line in lines]
                body.append("</ul>")
                shown = tuple(position[id(item)] for item in found)
                blocks.append("\n".join(block))
                block_items.append(shown)
                text_blocks.append("\n".join([f"■ {county}", *text[start:]]))
                text_items.append(shown)
            text.append("")
    if operational:
        heading = f"{next(numerals)}、采集和任务故障（{len(operational)}项）"
        text += [heading, ""] + [f"  · {_operational_line(i)}" for i in operational] + [""]
        body.append(f"<h2>{html.escape(heading)}</h2><ul>")
        body += [f"<li>{html.escape(_operational_line(i))}</li>" for i in operational]
        body.append("</ul>")
        blocks.append("\n".join([f"### {_md_text(heading)}"] + [f"- {_md_text(_operational_line(i))}"
                                                                 for i in operational]))
        text_blocks.append("\n".join([heading] + [f"  · {_operational_line(i)}" for i in operational]))
        shown = tuple(position[id(item)] for item in operational)
        block_items.append(shown)
        text_items.append(shown)
    for summary in summaries:
        heading = f"{next(numerals)}、{summary.get('week')}整改情况汇总（按单位）"
        tally = [_summary_line(row) for row in summary.get("departments") or []] or ["没有需要整改的问题。"]
        text += [heading, ""] + [f"  · {line}" for line in tally] + [""]
        body.append(f"<h2>{html.escape(heading)}</h2><ul>")
        body += [f"<li>{html.escape(line)}</li>" for line in tally]
        body.append("</ul>")
        blocks.append("\n".join([f"### {_md_text(heading)}"] + [f"- {_md_text(line)}" for line in tally]))
        text_blocks.append("\n".join([heading] + [f"  · {line}" for line in tally]))
        block_items.append((position[id(summary)],))
        text_items.append((position[id(summary)],))
    footer = (f"此消息由 nianbao 年报监测自动发送；新问题只通知一次，逾期未整改的问题每{remind_every_days}天"
              "最多提醒一次，问题整改后另行告知。")
    subscribe = f"订阅：{feed_url}" if feed_url else ""
    text += [footer, subscribe] if subscribe else [footer]
    body.append(f"<p><small>{html.escape(footer)}"
                + (f"<br>订阅：{_anchor(feed_url)}" if feed_url else "") + "</small></p>")
    blocks.append(_md_text(footer) + (f"\n\n{_md_link('订阅', feed_url)}" if feed_url else ""))
    block_items.append(())
    text_blocks.append(f"{footer}\n{subscribe}" if subscribe else footer)
    text_items.append(())
    page = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(subject)}</title></head><body>{''.join(body)}</body></html>")
    blocks.insert(0, _md_text(intro))
    block_items.insert(0, ())
    return Digest(subject, "\n".join(text) + "\n", page, "\n\n".join(blocks) + "\n", tuple(blocks),
                  tuple(text_blocks), tuple(block_items), tuple(text_items))
