"""`nianbao alerts send`: queue what is new since the last send, then one digest per recipient (an email address,
or a webhook: see alerts.webhooks).

A finding is queued once per recipient and marked sent only after the SMTP server accepted the
digest, so a server that is down leaves it pending for the next run: nothing lost. Queuing happens in one
write transaction with the look-up of what is new, and a sender claims the alerts it sends (see
`db.alerts.claim`), so two senders at once never queue or send the same alert twice.

One case SMTP cannot settle: the server accepts a message and the connection drops before its reply.
The alerts then stay pending and are sent again with the same Message-ID (derived from the alerts), so a
mail system that removes duplicates by Message-ID shows the digest once.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from alerts import health
from alerts.digest import Digest, build_digest
from alerts.mailer import build_message, send_message
from alerts.routing import feed_link, feed_name, route, watch_recipients
from alerts.settings import AlertSettings, Recipient
from alerts.webhooks import PartlyDelivered, send_digest
from checks.model import RULES
from checks.subject import CheckSettings
from checks.watchlist import WatchedAgency
from db import alerts as alert_rows
from db.findings import county_names
from db.timestamps import utc_stamp
from db.transactions import immediate
from nianbao.errors import DeliveryError

logger = logging.getLogger(__name__)

# A claim older than this is abandoned even if its pid is alive again (reused by another process).
CLAIM_LIFETIME = timedelta(hours=6)


@dataclass
class SendResult:
    """What one `alerts send` did."""

    queued: int = 0
    sent: int = 0  # alerts delivered
    digests: list[tuple[str, Digest]] = field(default_factory=list)  # recipient, digest (sent or previewed)
    failures: dict[str, str] = field(default_factory=dict)  # recipient → error

    def as_counts(self) -> dict[str, Any]:
        return {"queued": self.queued, "sent": self.sent, "digests": len(self.digests),
                "failed_recipients": len(self.failures)}


def _finding_payload(row: dict[str, Any], kind: str) -> dict[str, Any]:
    names = ("rule", "severity", "county", "county_name", "agency", "year", "report_id", "message", "url",
             "title", "expected", "found", "resolved_at", "first_seen", "keys")
    return {"kind": kind, **{name: row.get(name) for name in names}}


def collect(db: Database, settings: AlertSettings, check_settings: CheckSettings,
            recipients: list[Recipient], today: date | None = None) -> list[dict[str, Any]]:
    """Alert rows to queue: new findings, reminders of overdue ones, resolutions of alerted findings, crawl and job
    failures."""
    today = today or datetime.now(UTC).date()
    rows: list[dict[str, Any]] = []
    rules = [rule for rule in RULES if check_settings.raises_alert(rule)]
    for finding in alert_rows.unannounced_findings(db, rules):
        payload = _finding_payload(finding, "finding")
        rows += [{"finding_id": finding["id"], "kind": "finding", "recipient": email,
                  "subject_key": f"finding:{finding['id']}", "payload": payload}
                 for email in route(recipients, payload)]
    overdue = alert_rows.overdue_findings(
        db, rules, seen_before=(today - timedelta(days=settings.fix_days)).isoformat(),
        reminded_since=(today - timedelta(days=settings.remind_every_days - 1)).isoformat())
    rows += [{"finding_id": finding["id"], "kind": "reminder", "recipient": finding["recipient"],
              "subject_key": f"reminder:{finding['id']}:{today.isoformat()}",
              "payload": _finding_payload(finding, "reminder")} for finding in overdue]
    for finding in alert_rows.unannounced_resolutions(db):
        payload = _finding_payload(finding, "resolved")
        rows += [{"finding_id": finding["id"], "kind": "resolved", "recipient": email,
                  "subject_key": f"finding:{finding['id']}", "payload": payload}
                 for email in finding["recipients"]]
    rows += _weekly_summaries(db, settings, recipients, rules, today)
    names = county_names(db)
    for item in [*health.crawl_items(db, settings.crawl_failures, names), *health.job_items(db)]:
        rows += [{"kind": item["kind"], "recipient": email, "subject_key": item["subject_key"], "payload": item}
                 for email in route(recipients, item)]
    return rows


def _weekly_summaries(db: Database, settings: AlertSettings, recipients: list[Recipient], rules: list[str],
                      today: date) -> list[dict[str, Any]]:
    """For each recipient with weekly_summary, once per ISO week: its departments' open, overdue and fixed findings."""
    wanting = [r for r in recipients if r.weekly_summary]
    if not wanting:
        return []
    year, week, weekday = today.isocalendar()
    monday = today - timedelta(days=weekday - 1)
    counts = alert_rows.department_counts(db, rules, week_start=monday.isoformat(),
                                          overdue_before=(today - timedelta(days=settings.fix_days)).isoformat())
    done = alert_rows.subject_keys(db, "summary:")
    rows = []
    for recipient in wanting:
        key = f"summary:{recipient.address}:{year}-W{week:02d}"
        if key in done:
            continue
        departments = [row for row in counts if not recipient.counties
                       or any((row["county"] or "").startswith(prefix) for prefix in recipient.counties)]
        payload = {"kind": "summary", "week": f"{year}年第{week}周", "since": monday.isoformat(),
                   "departments": departments}
        rows.append({"kind": "summary", "recipient": recipient.address, "subject_key": key, "payload": payload})
    return rows


def send_alerts(db: Database, settings: AlertSettings, *, check_settings: CheckSettings | None = None,
                watch: Iterable[WatchedAgency] = (), dry_run: bool = False, now: datetime | None = None) -> SendResult:
    """Queue what is new and email one digest per recipient; with dry_run, only build the digests."""
    now = now or datetime.now(UTC)
    stamp = utc_stamp(now)
    recipients = [*settings.recipients, *watch_recipients(watch)]
    result = SendResult()
    if dry_run:
        new_rows = collect(db, settings, check_settings or CheckSettings(), recipients, now.date())
        waiting = [{"id": None, **row} for row in alert_rows.pending(db)] + [{"id": None, **row} for row in new_rows]
    else:
        with immediate(db):
            new_rows = collect(db, settings, check_settings or CheckSettings(), recipients, now.date())
            result.queued = alert_rows.queue(db, new_rows, stamp)
        stale_before = utc_stamp(now - CLAIM_LIFETIME)
        waiting = alert_rows.claim(db, f"{os.getpid()}:{secrets.token_hex(6)}", stamp, stale_before)
    webhooks_by_address = {r.address: r for r in recipients if r.webhook}
    feeds: dict[str, str] = {}  # address → its feed (a named subscription's name first)
    for subscription in sorted(recipients, key=lambda r: r.name is None):
        feeds.setdefault(subscription.address, feed_link(settings.datasette_url, feed_name(subscription)))
    by_recipient: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in waiting:
        by_recipient[row["recipient"]].append(row)
    for recipient, rows in by_recipient.items():
        digest = build_digest([row["payload"] for row in rows], base_url=settings.datasette_url,
                              prefix=settings.subject_prefix, today=now.date(), fix_days=settings.fix_days,
                              remind_every_days=settings.remind_every_days, feed_url=feeds.get(recipient))
        result.digests.append((recipient, digest))
        if dry_run:
            continue
        ids = [row["id"] for row in rows]
        try:
            if recipient.startswith("webhook:"):
                hook = webhooks_by_address.get(recipient)
                if hook is None:
                    raise DeliveryError(f"{recipient}: [[alerts.recipients]] 中已没有这个 webhook")
                send_digest(hook, digest)
            else:
                send_message(settings.smtp, build_message(digest, sender=settings.smtp.sender, recipient=recipient,
                                                          alert_ids=ids))
        except DeliveryError as error:
            logger.warning("发给 %s 的提醒未送达，留待下次发送：%s", recipient, error)
            if isinstance(error, PartlyDelivered):  # the alerts already shown in delivered messages are not resent
                sent = [ids[n] for n in sorted(error.delivered)]
                alert_rows.mark_sent(db, sent, stamp)
                result.sent += len(sent)
                ids = [i for i in ids if i not in set(sent)]
            alert_rows.mark_failed(db, ids, str(error))
            result.failures[recipient] = str(error)
            continue
        alert_rows.mark_sent(db, ids, stamp)
        result.sent += len(ids)
    return result
