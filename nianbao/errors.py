"""User-facing errors: raised by the library, turned into one clear line (and an exit code) by the CLI."""

from __future__ import annotations


class NianbaoError(Exception):
    """An error the user can fix; its message says what is wrong and what to do."""

    exit_code = 1


class ConfigError(NianbaoError):
    exit_code = 2


class InputError(NianbaoError):
    """A bad file the user gave us (sites CSV, watch list…)."""

    exit_code = 2


class DatabaseError(NianbaoError):
    exit_code = 3


class DeliveryError(NianbaoError):
    """Email could not be delivered (SMTP down or refusing)."""

    exit_code = 4
