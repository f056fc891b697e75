"""Rules never raise on odd data: any mix of numbers, blanks, text, negatives and missing cells is judged or named."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from checks import REPORT_RULES, CheckSettings, ReportRecord, Subject
from parsers.report import ParsedReport
from parsers.schema import template_keys

KEYS = sorted(set(template_keys("2021")) | set(template_keys("2019")) | {"extra.active.other.count"})
cell = st.one_of(
    st.tuples(st.just("number"), st.integers(-5, 10**9)),
    st.tuples(st.just("number"), st.floats(-1e7, 1e12, allow_nan=False)),
    st.tuples(st.just("none"), st.just(0)),
    st.tuples(st.just("blank"), st.none()),
    st.tuples(st.just("text"), st.none()),
)


@st.composite
def reports(draw: st.DrawFn) -> ParsedReport:
    report = ParsedReport(
        source="fuzz", agency=draw(st.sampled_from([None, "", "泽州县教育局", "某某乡人民政府"])),
        year=draw(st.one_of(st.none(), st.integers(1990, 2030))),
        template=draw(st.sampled_from(["2019", "2021", "unknown"])),
        published_on=draw(st.sampled_from([None, "2024-01-20", "not a date", "2024-02-30"])),
        kind=draw(st.sampled_from(["department", "government", "other"])),
        statistics_year=draw(st.one_of(st.none(), st.integers(1990, 2030))),
        sections=draw(st.lists(st.sampled_from(list("一二三四五六")), unique=True)),
        tables=draw(st.lists(st.sampled_from(["active", "requests", "reviews"]), unique=True)),
        stated=draw(st.dictionaries(st.just("requests.received.total"), st.integers(0, 100))),
        text=draw(st.text(max_size=300)),
    )
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=80)):
        state, number = draw(cell)
        report.set_cell(key, "详见附件" if state == "text" else str(number or ""), state, number, None)
    return report


@settings(max_examples=80, deadline=None)
@given(report=reports(), previous=st.one_of(st.none(), reports()), others=st.lists(reports(), max_size=2),
       page_date=st.sampled_from([None, "2024-03-01", "garbage"]),
       first_seen=st.sampled_from([None, "2024-01-01T00:00:00Z", "??"]))
def test_rules_never_raise_on_odd_reports(report: ParsedReport, previous: ParsedReport | None,
                                          others: list[ParsedReport], page_date: str | None,
                                          first_seen: str | None) -> None:
    def record(one: ParsedReport, url: str) -> ReportRecord:
        return ReportRecord(one, "140525", one.agency, one.year, one.kind, url, document=url,
                            page_date=page_date, first_seen=first_seen, published_on=one.published_on)

    subject = Subject(record(report, "a"), CheckSettings(), date(2025, 6, 1),
                      previous=record(previous, "p") if previous else None,
                      others=[record(o, f"o{i}") for i, o in enumerate(others)])
    for code, rule in REPORT_RULES.items():
        for finding in rule(subject):  # an exception here fails the test
            assert finding.rule == code
            assert finding.message
