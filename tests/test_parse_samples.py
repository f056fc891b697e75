"""End to end: a generated report rendered in every format parses back to the values it was filled with."""

from __future__ import annotations

import random

import pytest

from parsers import parse_bytes
from samples.generate import random_report
from samples.model import SampleReport
from samples.render import EXTENSIONS, render

FORMS = [("html", {}), ("html", {"encoding": "gbk"}), ("html_body", {}), ("docx", {}), ("pdf", {}),
         ("pdf", {"ruled": False}), ("text_cells", {}), ("text_tabs", {}), ("text_pipes", {})]


@pytest.fixture(scope="module", params=[("2021", 2023, 4), ("2019", 2020, 9)], ids=["2021", "2019"])
def sample(request: pytest.FixtureRequest) -> SampleReport:
    template, year, seed = request.param
    return random_report(random.Random(seed), "阳城县人力资源和社会保障局", year, template)


@pytest.mark.parametrize(("fmt", "options"), FORMS, ids=[f + "".join(f"-{v}" for v in o.values()) for f, o in FORMS])
def test_parse_rendered_sample_reads_every_value(sample: SampleReport, fmt: str, options: dict) -> None:
    parsed = parse_bytes(render(sample, fmt, **options), "report" + EXTENSIONS[fmt])  # type: ignore[arg-type]
    assert (parsed.agency, parsed.year, parsed.template) == (sample.agency, sample.year, sample.template)
    assert parsed.published_on == sample.published_on.isoformat()
    assert parsed.stated == {"requests.received.total": sample.stated_received}
    values = {key: value for key, value in parsed.values.items() if not key.startswith("extra.")}
    assert values == {key: sample.values[key] for key in sample.printed_keys()}
