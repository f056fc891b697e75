"""Consistent reports to plant one defect in (shared by the tests of checks, alerts and the scheduler)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db.store import Store
from parsers.report import ParsedReport
from parsers.schema import template_keys
from parsers.values import Number
from samples.model import SampleReport
from samples.render import render

# Non-zero cells of a consistent report; every other template cell is 0.
# 申请: 自然人 3 received + 1 carried over = 2 granted + 1 not held + 1 carried forward; 商业企业 1 → partly granted.
REQUESTS_2021: dict[str, Number] = {
    "requests.received.natural_person": 3, "requests.received.commercial": 1, "requests.received.total": 4,
    "requests.carried_over.natural_person": 1, "requests.carried_over.total": 1,
    "requests.granted.natural_person": 2, "requests.granted.total": 2,
    "requests.partially_granted.commercial": 1, "requests.partially_granted.total": 1,
    "requests.unavailable.not_held.natural_person": 1, "requests.unavailable.not_held.total": 1,
    "requests.results_total.natural_person": 3, "requests.results_total.commercial": 1,
    "requests.results_total.total": 4,
    "requests.carried_forward.natural_person": 1, "requests.carried_forward.total": 1,
}
REVIEWS: dict[str, Number] = {
    "reviews.review.upheld": 1, "reviews.review.pending": 1, "reviews.review.total": 2,
    "reviews.litigation_after_review.upheld": 1, "reviews.litigation_after_review.total": 1,
}
ACTIVE_2021: dict[str, Number] = {
    "active.normative_documents.issued": 2, "active.normative_documents.repealed": 1,
    "active.normative_documents.in_force": 5, "active.licensing.decisions": 120, "active.penalty.decisions": 30,
    "active.coercion.decisions": 2, "active.fees.amount": 3.5,
}
ACTIVE_2019: dict[str, Number] = {
    "active.normative_documents.new_made": 2, "active.normative_documents.new_published": 2,
    "active.normative_documents.total_published": 9, "active.licensing.decisions": 80,
    "active.procurement.items": 3, "active.procurement.amount": 12.5,
}

NARRATIVE = (
    "一、总体情况\n"
    "{year}年，泽州县教育局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
    "和上级关于政务公开工作的部署要求，围绕教育改革发展中心工作，进一步完善信息公开制度，规范依申请公开办理流程，"
    "强化政策解读和回应关切，加强政府信息公开平台建设和监督保障。全年收到政府信息公开申请{received}件，均按时办结。\n"
    "五、存在的主要问题及改进情况\n"
    "{note}信息公开的主动性和及时性仍需提高。{next_year}年，我局将加强业务培训，提高公开质量。\n"
    "六、其他需要报告的事项\n本机关未收取信息处理费。\n"
)


def consistent_report(year: int = 2023, template: str = "2021", agency: str = "泽州县教育局",
                      note: str = "") -> ParsedReport:
    """A report of `template` where every sum holds, every section and table is present."""
    report = ParsedReport(
        source=f"http://127.0.0.1/{year}/report.html", agency=agency, year=year, template=template,  # type: ignore[arg-type]
        published_on=f"{year + 1}-01-20", title=f"{agency}{year}年政府信息公开工作年度报告",
        kind="department", statistics_year=year,
        sections=["一", "二", "三", "四", "五", "六"], tables=["active", "requests", "reviews"],
        stated={"requests.received.total": 4},
        text=NARRATIVE.format(year=year, received=4, next_year=year + 1, note=note),
    )
    planted = {**REQUESTS_2021, **REVIEWS, **(ACTIVE_2021 if template == "2021" else ACTIVE_2019)}
    for key in template_keys(template):
        value = planted.get(key, 0)
        report.set_cell(key, str(value), "number", value, None)
    return report


def plant(report: ParsedReport, key: str, value: Number | None, raw: str | None = None) -> ParsedReport:
    """Set one cell (None = blank) and return the report."""
    if value is None:
        report.set_cell(key, raw or "", "blank" if not raw else "text", None, None)
    else:
        report.set_cell(key, raw or str(value), "number", value, None)
    return report


def sample_page(agency: str, year: int, published_on: date, **cells: Number) -> bytes:
    """An HTML report page of template 2021 whose sums all hold, except for the cells given (a__b → a.b)."""
    values: dict = dict.fromkeys(template_keys("2021"), 0)
    values.update({**REQUESTS_2021, **REVIEWS, **ACTIVE_2021})
    values.update({key.replace("__", "."): value for key, value in cells.items()})
    report = SampleReport(agency=agency, year=year, template="2021", values=values, published_on=published_on,
                          stated_received=4)
    return render(report, "html")


def ingest_page(db_path: Path, url: str, data: bytes, county: str = "140525", county_name: str = "泽州县") -> int:
    """Store one document as the crawler would; returns the report id."""
    with Store.open(db_path) as store:
        store.upsert_county(county, county_name, "http://127.0.0.1/portal/")
        outcome = store.ingest(data, url=url, county_code=county, content_type="text/html")
    assert outcome.status in ("new", "changed"), outcome.error
    return outcome.report_id


def zezhou_store(db_path: Path) -> Path:
    """泽州县教育局 2022 (clean) and 2023 (予以公开 总计 3 instead of 2, published 2024-02-05, late),
    and 泽州县人力资源和社会保障局 2022 with no 2023 report: 4 findings as of 2024-06-01."""
    ingest_page(db_path, "http://127.0.0.1/jyj/2022.html",
                sample_page("泽州县教育局", 2022, date(2023, 1, 20), active__normative_documents__in_force=4,
                            active__licensing__decisions=100))
    ingest_page(db_path, "http://127.0.0.1/jyj/2023.html",
                sample_page("泽州县教育局", 2023, date(2024, 2, 5), requests__granted__total=3))
    ingest_page(db_path, "http://127.0.0.1/rsj/2022.html",
                sample_page("泽州县人力资源和社会保障局", 2022, date(2023, 1, 18), active__licensing__decisions=7))
    return db_path
