"""Times as the store keeps them: ISO 8601 UTC text to the second (2026-02-03T04:05:06Z), which sorts as time."""

from __future__ import annotations

from datetime import UTC, date, datetime

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> str:
    """Now, as stored: 2026-02-03T04:05:06Z."""
    return datetime.now(UTC).strftime(STAMP_FORMAT)


def utc_stamp(moment: datetime) -> str:
    """A time as stored, converted to UTC (a time without a zone is taken as UTC already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(STAMP_FORMAT)


def utc_today() -> date:
    """Today's date in UTC (the default day checks judge deadlines on)."""
    return datetime.now(UTC).date()
