"""What readers of a public `nianbao serve` may not see unless `[serve]` says so: the alerts table (who was
emailed what) and agencies.email. Enforced on every connection Datasette opens (an SQLite authorizer), so a
table page, a canned query and custom SQL alike read agencies.email as empty and cannot read alerts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nianbao.config_values import Keys, boolean

# [serve] in nianbao.toml (declared here, where `nianbao serve` reads it).
SERVE_KEYS: Keys = {"show_alerts": boolean, "show_emails": boolean}


@dataclass(frozen=True)
class ReaderAccess:
    show_alerts: bool = False
    show_emails: bool = False

    @classmethod
    def from_section(cls, section: dict[str, Any]) -> ReaderAccess:
        return cls(bool(section.get("show_alerts", False)), bool(section.get("show_emails", False)))

    def authorizer(self) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
        def authorize(action: int, first: str | None, second: str | None, database: str | None,
                      trigger: str | None) -> int:
            if action == sqlite3.SQLITE_READ:
                # count(*) reads no column (second is ""): the listing may say how many alerts there are.
                if first == "alerts" and second and not self.show_alerts:
                    return sqlite3.SQLITE_DENY
                if first == "agencies" and second == "email" and not self.show_emails:
                    return sqlite3.SQLITE_IGNORE  # read as NULL: pages that list agencies still work
            return sqlite3.SQLITE_OK

        return authorize

    def apply_to_metadata(self, metadata: dict[str, Any], database: str) -> None:
        """The alerts table hidden from listings and refused to every reader (Datasette's `allow: false`)."""
        if self.show_alerts:
            return
        tables = metadata.setdefault("databases", {}).setdefault(database, {}).setdefault("tables", {})
        tables.setdefault("alerts", {}).update({"hidden": True, "allow": False})
