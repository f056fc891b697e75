from __future__ import annotations

import pytest

from parsers.values import parse_value


@pytest.mark.parametrize(
    ("raw", "money", "state", "number", "unit"),
    [
        ("3", False, "number", 3, None),
        ("增16", False, "number", 16, None),
        ("减3", False, "number", -3, None),
        ("減3", False, "number", -3, None),
        ("無", False, "none", 0, None),
        ("+2", False, "number", 2, None),
        ("-8", False, "number", -8, None),
        ("71万元", True, "number", 71, "万元"),
        ("251000元", True, "number", 25.1, "元"),
        ("0.35", True, "number", 0.35, None),
        ("３", False, "number", 3, None),
        ("1,234", False, "number", 1234, None),
        ("/", False, "none", 0, None),
        ("／", False, "none", 0, None),
        ("—", False, "none", 0, None),
        ("-", False, "none", 0, None),
        ("－－", False, "none", 0, None),
        ("无", False, "none", 0, None),
        ("空", False, "none", 0, None),
        ("", False, "blank", None, None),
        ("\u00a0\u3000", False, "blank", None, None),
        ("详见附件", False, "text", None, None),
        # Digits that are not plain digits, or split by a space, are not silently joined into a number.
        ("3①", False, "text", None, None),
        ("2²", False, "text", None, None),
        ("1 2", False, "text", None, None),
        ("10 5", False, "text", None, None),
        ("٣", False, "text", None, None),
        ("12345678901234567890", False, "text", None, None),
        ("9" * 400, False, "text", None, None),
        ("9" * 5000, False, "text", None, None),
        (" 12 ", False, "number", 12, None),
        ("999999999999999", False, "number", 999_999_999_999_999, None),
    ],
)
def test_parse_value_reads_the_spec_states(raw: str, money: bool, state: str, number: object, unit: object) -> None:
    value = parse_value(raw, money=money)
    assert (value.state, value.number, value.unit) == (state, number, unit)
    assert value.raw == raw
