"""Agency names match after normalization (the watch list and history rely on it)."""

from __future__ import annotations

import pytest

from checks.agencies import agency_key


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("县人社局", "泽州县人力资源和社会保障局"),
        ("县卫健委", "县卫生健康委员会"),
        ("卫生健康委员会", "卫生健康局"),
        ("教育局", "阳城县 教育局"),
    ],
)
def test_agency_key_matches_variants(short: str, full: str) -> None:
    assert agency_key(short) == agency_key(full)


@pytest.mark.parametrize(("a", "b"), [("县教育局", "县人社局"), ("县人民政府", "县人民政府办公室")])
def test_agency_key_keeps_different_bodies_apart(a: str, b: str) -> None:
    assert agency_key(a) != agency_key(b)


def test_agency_key_keeps_market_prefix() -> None:
    assert agency_key("市场监督管理局").startswith("市场")
