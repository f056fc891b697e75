"""Small named fixtures shared by the suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_server import Inbox, free_port, smtp_server

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"


@pytest.fixture
def seed_004_path() -> Path:
    """泽州县人社局 2023, tab-separated form, 行政强制 row missing, reviews 1 1 0 0 2 | 9 4 0 4 17."""
    return GOLDEN / "seed_004" / "input.txt"


@pytest.fixture
def seed_000_path() -> Path:
    """古县人社局 2021, one cell per line, all zero but 行政强制 1."""
    return GOLDEN / "seed_000" / "input.txt"


@pytest.fixture
def smtp_port() -> int:
    """A free port for a test's SMTP server."""
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 for the length of one test."""
    with smtp_server(smtp_port) as handler:
        yield handler
