"""Agency names match after normalization (the watch list and history rely on it)."""

from __future__ import annotations

import pytest

from db.agency_names import normalize_agency


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("县人社局", "泽州县人力资源和社会保障局"),
        ("卫健委", "卫生健康委员会"),
        ("卫生健康委员会", "泽州县卫生健康局"),
        ("县市场监管局", "县市场监督管理局"),
        ("教育局", "阳城县 教育局"),
    ],
)
def test_normalize_agency_matches_variants(short: str, full: str) -> None:
    assert normalize_agency(short) == normalize_agency(full)


@pytest.mark.parametrize(("a", "b"), [("县教育局", "县人社局"), ("县人民政府", "县人民政府办公室")])
def test_normalize_agency_keeps_different_bodies_apart(a: str, b: str) -> None:
    assert normalize_agency(a) != normalize_agency(b)


def test_normalize_agency_keeps_market_prefix() -> None:
    assert normalize_agency("市场监督管理局") == "市场监管局"
