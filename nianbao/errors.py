"""User-facing errors: raised by the library, turned into one clear line (and an exit code) by the CLI."""

from __future__ import annotations


class NianbaoError(Exception):
    """An error the user can fix; its message says what is wrong and what to do."""

    exit_code = 1


class ConfigError(NianbaoError):
    """A wrong nianbao.toml; `key` (section, key…) lets the CLI add the file and line of the key."""

    exit_code = 2

    def __init__(self, message: str, key: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.key = key


class InputError(NianbaoError):
    """A bad file the user gave us (sites CSV, watch list…)."""

    exit_code = 2


class DatabaseError(NianbaoError):
    exit_code = 3


class DeliveryError(NianbaoError):
    """Email could not be delivered (SMTP down or refusing)."""

    exit_code = 4


class SitesFailedError(NianbaoError):
    """A crawl ran to the end but too many sites failed or were blocked (what it found is stored)."""

    exit_code = 5


class DraftErrors(NianbaoError):
    """`nianbao lint` found errors in a draft: it should not be published as it is."""

    exit_code = 6
