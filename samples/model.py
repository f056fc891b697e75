"""A synthetic annual report as a person would fill in the national template: inputs for samples.render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from parsers.schema import template_keys

SampleValue = int | float | str | None  # a number, None for a blank cell, or the raw text as printed ("增16", "/")
SampleTemplate = Literal["2019", "2021"]


@dataclass
class ExtraRow:
    """A row the template does not have, e.g. the provincial 其他主动公开文件 in section 二."""

    section: Literal["active", "requests"]
    label: str
    values: list[SampleValue]
    after: str  # row key it follows (active: "normative_documents"; requests: "received")


@dataclass
class SampleReport:
    """Everything a renderer needs to print one report; `values` maps spec keys to what the cell holds."""

    agency: str
    year: int
    template: SampleTemplate
    values: dict[str, SampleValue] = field(default_factory=dict)
    published_on: date | None = None
    # Narrative: the number stated in 一、总体情况 (收到政府信息公开申请N件); None prints no such sentence.
    stated_received: int | None = None
    traditional: bool = False
    drop_rows: set[str] = field(default_factory=set)  # row keys such as "active.coercion"
    extra_rows: list[ExtraRow] = field(default_factory=list)
    # Printed subtotal rows under （三）不予公开、（四）无法提供、（五）不予处理 (some provinces print them).
    subtotal_rows: bool = False
    # Section 四 printed as the sentence 本年度未发生…行政复议、行政诉讼情况 instead of the table.
    reviews_as_sentence: bool = False
    sections: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")
    defects: list[str] = field(default_factory=list)  # what generate planted, for tests and the demo

    def printed_keys(self) -> list[str]:
        """The template keys this report prints (dropped rows and a sentence-for-table excluded)."""
        result = []
        for key in template_keys(self.template):
            if self.row_of(key) in self.drop_rows:
                continue
            if key.startswith("reviews.") and self.reviews_as_sentence:
                continue
            result.append(key)
        return result

    @staticmethod
    def row_of(key: str) -> str:
        """active.licensing.decisions → active.licensing; requests.denied.state_secret.total → …state_secret."""
        return key.rsplit(".", 1)[0]

    def raw(self, key: str) -> str:
        """The text printed in a cell."""
        return format_value(self.values.get(key))

    def number(self, key: str) -> int | float | None:
        """The number a reader should find in a numeric cell (None for blank or raw text)."""
        value = self.values.get(key)
        return value if isinstance(value, int | float) else None


def format_value(value: SampleValue) -> str:
    """How a cell value is printed: integers plainly, money without trailing zeros, blank as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)
