"""The check → alerts wiring, built once from nianbao.toml for every caller (commands, scheduler, demo).

Both steps read [checks]: the check expects a report from every agency of the watch list, and the alerts send the
findings of the rules that raise alerts, with each watched agency's findings also to its contact. Building the
two from one place keeps them reading the same settings and the same watch list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlite_utils import Database

from alerts.outbox import SendResult, send_alerts
from alerts.routing import watch_recipients
from alerts.settings import AlertSettings, Recipient
from checks.service import CheckRun, run_checks, watch_list_of
from checks.subject import CheckSettings
from checks.watchlist import WatchedAgency


class Sections(Protocol):
    """The configuration as the wiring reads it (nianbao.toml: its path and its sections)."""

    @property
    def path(self) -> Path | None: ...

    def section(self, name: str) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class CheckAlertWiring:
    """What the check and the alerts share: [checks] and the watch list; [alerts] and [smtp] are read on demand."""

    check_settings: CheckSettings
    watch: list[WatchedAgency]
    config: Sections = field(repr=False)

    @classmethod
    def from_config(cls, config: Sections, watch_path: Path | None = None) -> CheckAlertWiring:
        """Read [checks] and its watch list (`watch_path`, the --watch of `nianbao check`, replaces [checks] watch);
        a mistake in either raises here, before any work."""
        section = config.section("checks")
        return cls(CheckSettings.from_section(section), watch_list_of(section, config.path, watch_path), config)

    def alert_settings(self) -> AlertSettings:
        """[alerts] and [smtp], read only by what sends alerts (a check runs without them)."""
        return AlertSettings.from_config(self.config.section("alerts"), self.config.section("smtp"))

    def recipients(self, settings: AlertSettings | None = None) -> list[Recipient]:
        """Who gets digests (and has an Atom feed): the recipients of [alerts] and the watch list's contacts."""
        return [*(settings or self.alert_settings()).recipients, *watch_recipients(self.watch)]

    def run_checks(self, db: Database, *, as_of: date | None = None, workers: int | None = None) -> CheckRun:
        """Check every stored report against [checks] and the watch list; record the findings."""
        return run_checks(db, self.check_settings, as_of=as_of, watch=self.watch, workers=workers)

    def send_alerts(self, db: Database, settings: AlertSettings | None = None, *, dry_run: bool = False,
                    now: datetime | None = None) -> SendResult:
        """Email what is new to the recipients and the watch-list contacts (dry_run: only build the digests);
        `settings`: alert_settings() when already read; `now`: the moment written as (default: the current time)."""
        return send_alerts(db, settings or self.alert_settings(), check_settings=self.check_settings,
                           watch=self.watch, dry_run=dry_run, now=now)
