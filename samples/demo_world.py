"""The world `nianbao demo` crawls, described declaratively: counties, agencies, what each published when.

Read this file to know what the demo must find. Every report is on time (departments by January 20,
the county government by March 20), consistent with itself and with the agency's previous year,
unless its Publication says otherwise:

- `published` after January 31 (departments) or March 31 (the government) → `late`;
- `defect` "review_total" / "balance" → that sum is broken once (samples.generate.plant_defect);
- `defect` "carry_over" → 上年结转 differs by one from the previous report's 结转下年度 → `carry_over_mismatch`;
- `template` "2019" for a year after 2020 → `outdated_template`;
- an agency with a report for year Y−1 and none for Y → `missing_report` (years 2023, 2024);
- a county with style "blocked" answers every page with a JS challenge (HTTP 412 + $_ts) → blocked crawl,
  `site_unreachable`.

samples/demo_portals.py turns the description into fixture portals; tests/test_demo.py asserts the outcome.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from parsers.schema import rows_of
from samples.generate import APPLICANTS, plant_defect, random_report
from samples.model import SampleReport, SampleTemplate

Style = Literal["trs", "hanweb", "plain", "blocked"]
Format = Literal["html", "docx", "pdf"]
Defect = Literal["review_total", "balance", "carry_over"]

AS_OF = date(2025, 6, 1)  # checks judge deadlines as of this day, so the outcome never depends on today
YEARS = (2022, 2023, 2024)
GOVERNMENT = "人民政府"


@dataclass(frozen=True)
class Publication:
    """One report an agency put online: its year, its format, and what is wrong with it (if anything)."""

    year: int
    fmt: Format = "html"
    published: date | None = None  # None: on time (January 20, or March 20 for the county government)
    defect: Defect | None = None
    template: SampleTemplate = "2021"
    traditional: bool = False


@dataclass(frozen=True)
class Agency:
    """An agency of a county: its short name (the county's name is prefixed) and its reports."""

    name: str
    reports: tuple[Publication, ...]


@dataclass(frozen=True)
class County:
    """A county portal: division code, name, CMS style, agencies."""

    code: str
    name: str
    style: Style
    agencies: tuple[Agency, ...] = ()
    # Look-alike titles filed next to the reports (never reports: crawler/titles.py).
    decoys: tuple[str, ...] = field(default=("2023年法治政府建设年度报告",))

    def full_name(self, agency: Agency) -> str:
        """青山县 + 教育局 → 青山县教育局."""
        return self.name + agency.name


def _every_year(fmt: Format) -> tuple[Publication, ...]:
    return tuple(Publication(year, fmt) for year in YEARS)


# Fictional counties (division codes 99xxxx do not exist): the reports are synthetic.
WORLD: tuple[County, ...] = (
    County("990101", "青山县", "trs", (  # TRS, GBK pages: reports as HTML tables, some as DOCX attachments
        Agency(GOVERNMENT, _every_year("html")),
        Agency("教育局", (Publication(2022), Publication(2023, published=date(2024, 2, 20)), Publication(2024))),
        Agency("财政局", (Publication(2022, "docx"), Publication(2023, "docx"))),  # 2024 missing
        Agency("人力资源和社会保障局", (Publication(2022), Publication(2023),
                                 Publication(2024, defect="carry_over"))),
        Agency("卫生健康局", _every_year("docx")),
        Agency("交通运输局", _every_year("html")),
        Agency("农业农村局", _every_year("html")),
    )),
    County("990102", "云溪县", "hanweb", (  # Hanweb JCMS: PDF attachments, one report in traditional script
        Agency(GOVERNMENT, (Publication(2022, "pdf"), Publication(2023, "pdf"),
                            Publication(2024, "pdf", published=date(2025, 4, 15)))),
        Agency("公安局", (Publication(2022, "pdf"), Publication(2023, "pdf"))),  # 2024 missing
        Agency("水利局", (Publication(2022, "pdf"), Publication(2023, "pdf"),
                         Publication(2024, traditional=True))),
        Agency("民政局", (Publication(2022, "pdf"), Publication(2023, "pdf", defect="review_total"),
                         Publication(2024, "pdf"))),
        Agency("自然资源局", _every_year("html")),
        Agency("应急管理局", _every_year("pdf")),
        Agency("统计局", _every_year("html")),
    )),
    County("990103", "石桥县", "plain", (  # plain lists: PDF and DOCX linked directly, HTML articles
        Agency(GOVERNMENT, _every_year("pdf")),
        Agency("市场监督管理局", (Publication(2022, "docx"), Publication(2023, "docx"),
                              Publication(2024, "docx", defect="balance"))),
        Agency("住房和城乡建设局", (Publication(2022, "html"), Publication(2023, "html", template="2019"),
                               Publication(2024, "html"))),
        Agency("文化和旅游局", _every_year("docx")),
        Agency("林业局", _every_year("html")),
        Agency("审计局", _every_year("pdf")),
        Agency("退役军人事务局", _every_year("html")),
    )),
    County("990104", "白沙县", "blocked", decoys=()),  # a JS challenge on every page: nothing can be read
)


def kind_of(agency: Agency) -> str:
    """government for the county government, department otherwise (which deadline applies)."""
    return "government" if agency.name == GOVERNMENT else "department"


def publication_date(county: County, agency: Agency, item: Publication) -> date:
    """The date printed on the report and on its page."""
    if item.published is not None:
        return item.published
    return date(item.year + 1, 3 if kind_of(agency) == "government" else 1, 20)


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode("utf-8"))


def _totals(report: SampleReport) -> None:
    values = report.values
    for row in rows_of("requests", report.template):
        values[f"requests.{row.key}.total"] = sum(int(values[f"requests.{row.key}.{c}"] or 0) for c in APPLICANTS)
    report.stated_received = int(values["requests.received.total"] or 0)


def _add_handled(report: SampleReport, column: str, count: int) -> None:
    """`count` more requests received and granted in one column: every sum still holds."""
    values = report.values
    for row in ("received", "granted", "results_total"):
        values[f"requests.{row}.{column}"] = int(values[f"requests.{row}.{column}"] or 0) + count


def follow(previous: SampleReport, report: SampleReport) -> None:
    """Make `report` continue `previous`: carried-over = last year's carried-forward, documents in force roll over.

    Sums stay consistent, and the received total differs from last year's so no report reads as copied.
    """
    values = report.values
    for column in APPLICANTS:
        carried = int(previous.values[f"requests.carried_forward.{column}"] or 0)
        change = carried - int(values[f"requests.carried_over.{column}"] or 0)
        values[f"requests.carried_over.{column}"] = carried
        if change >= 0:  # more to handle: more granted
            for row in ("granted", "results_total"):
                values[f"requests.{row}.{column}"] = int(values[f"requests.{row}.{column}"] or 0) + change
        else:  # less carried over: as many more received, so results stay as they are
            values[f"requests.received.{column}"] = int(values[f"requests.received.{column}"] or 0) - change
    _totals(report)
    if previous.values.get("requests.received.total") == values["requests.received.total"]:
        _add_handled(report, "natural_person", 1)
        _totals(report)
    if report.template == previous.template == "2021":
        for row in ("regulations", "normative_documents"):
            issued = int(values[f"active.{row}.issued"] or 0)
            values[f"active.{row}.repealed"] = 0
            values[f"active.{row}.in_force"] = int(previous.values[f"active.{row}.in_force"] or 0) + issued


def agency_reports(county: County, agency: Agency) -> list[SampleReport]:
    """The agency's reports, year by year, each following the previous one, defects planted."""
    reports: list[SampleReport] = []
    previous: SampleReport | None = None
    for item in sorted(agency.reports, key=lambda p: p.year):
        name = county.full_name(agency)
        report = random_report(random.Random(_seed(county.code, agency.name, item.year)), name, item.year,
                               item.template)
        _totals(report)
        if previous is not None and previous.year == item.year - 1:
            follow(previous, report)
        report.published_on = publication_date(county, agency, item)
        report.traditional = item.traditional
        if item.defect == "carry_over":
            column = "natural_person"
            report.values[f"requests.carried_over.{column}"] = int(
                report.values[f"requests.carried_over.{column}"] or 0) + 1
            for row in ("granted", "results_total"):
                key = f"requests.{row}.{column}"
                report.values[key] = int(report.values[key] or 0) + 1
            _totals(report)
            report.defects.append("carry_over")
        elif item.defect is not None:
            plant_defect(report, item.defect)
        reports.append(report)
        previous = report
    return reports


def expected_reports(world: tuple[County, ...] = WORLD) -> set[tuple[str, str, int]]:
    """(county code, agency, year) of every report the demo should find: all published, none behind a challenge."""
    return {(county.code, county.full_name(agency), item.year)
            for county in world if county.style != "blocked"
            for agency in county.agencies for item in agency.reports}
