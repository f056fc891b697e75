"""Small named fixtures shared by the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

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
