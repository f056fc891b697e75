"""Who gets an alert: subscriptions by county prefix, rule and severity; watch-list contacts by agency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alerts.settings import CRAWL_RULE, JOB_RULE, Recipient
from checks.agencies import agency_key
from checks.watchlist import WatchedAgency


def watch_recipients(watch: Iterable[WatchedAgency]) -> list[Recipient]:
    """The watch list's per-agency emails as recipients of that agency's findings only."""
    return [
        Recipient(item.email, counties=(item.county,), agency_key=item.agency_key)
        for item in watch if item.email
    ]


def wants(recipient: Recipient, item: Mapping[str, Any]) -> bool:
    """Whether this recipient subscribes to this alert item (a finding, a crawl or a job failure)."""
    kind = item.get("kind", "finding")
    rule = {"crawl": CRAWL_RULE, "job": JOB_RULE}.get(kind, item.get("rule"))
    severity = item.get("severity") or "error"
    county = item.get("county") or ""
    if kind == "job":
        # A failing scheduler job concerns whoever runs the system: recipients of all counties.
        return not recipient.counties and recipient.agency_key is None and (
            not recipient.rules or JOB_RULE in recipient.rules)
    if recipient.counties and not any(county.startswith(prefix) for prefix in recipient.counties):
        return False
    if recipient.agency_key is not None:
        return kind in ("finding", "reminder") and agency_key(item.get("agency")) == recipient.agency_key
    if recipient.rules and rule not in recipient.rules:
        return False
    return not recipient.severities or severity in recipient.severities


def route(recipients: Iterable[Recipient], item: Mapping[str, Any]) -> list[str]:
    """The distinct addresses (emails, webhook:<service>:<name>) that should receive this item, in configuration
    order."""
    addresses: list[str] = []
    for recipient in recipients:
        if wants(recipient, item) and recipient.address not in addresses:
            addresses.append(recipient.address)
    return addresses
