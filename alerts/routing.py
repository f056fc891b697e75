"""Who gets an alert: subscriptions by county prefix, rule and severity; watch-list contacts by agency. The same
selection gives each recipient's Atom feed (alerts.feed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

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


RECIPIENT_FEED_PATH = "/-/feeds/recipients/{}.atom"


def feed_name(recipient: Recipient) -> str:
    """The name of a recipient's Atom feed: its `name` if it has one (webhooks must), else its email address."""
    return recipient.name or recipient.email


def feed_link(datasette_url: str, name: str) -> str:
    """The address of a feed from [alerts] datasette_url (…/nianbao: the feeds are at the server's root)."""
    return datasette_url.rstrip("/").removesuffix("/nianbao") + feed_path(name)


def feed_path(name: str) -> str:
    """/-/feeds/recipients/<name>.atom, the name's Chinese left readable (an IRI) and its ASCII punctuation
    escaped (a "/" or "#" in a name stays part of it)."""
    return RECIPIENT_FEED_PATH.format("".join(c if ord(c) > 127 else quote(c, safe="@") for c in name))


def feed_scope(recipients: Iterable[Recipient], name: str) -> list[Recipient]:
    """The subscriptions a feed follows: the recipients of that feed name and every subscription delivered to the
    same addresses (a watch-list contact that is also a configured recipient gets one digest of both); empty for
    an unknown name."""
    recipients = list(recipients)
    addresses = {r.address for r in recipients if feed_name(r) == name}
    return [r for r in recipients if r.address in addresses]
