"""samples/demo_world.py: the generated reports are consistent year to year except for the problems it plants."""

from __future__ import annotations

from samples.demo_portals import demo_portals
from samples.demo_world import WORLD, County, agency_reports
from samples.generate import APPLICANTS
from samples.model import SampleReport


def n(report: SampleReport, key: str) -> int:
    return int(report.values[key] or 0)


def balanced(report: SampleReport) -> bool:
    return all(n(report, f"requests.received.{c}") + n(report, f"requests.carried_over.{c}")
               == n(report, f"requests.results_total.{c}") + n(report, f"requests.carried_forward.{c}")
               for c in [*APPLICANTS, "total"])


def series(county: County) -> dict[str, list[SampleReport]]:
    return {agency.name: agency_reports(county, agency) for agency in county.agencies}


def test_demo_world_reports_balance_unless_a_balance_defect_is_planted() -> None:
    broken = {(r.agency, r.year) for county in WORLD for reports in series(county).values() for r in reports
              if not balanced(r)}
    assert broken == {("石桥县市场监督管理局", 2024)}


def test_demo_world_carry_over_follows_the_previous_year_except_where_planted() -> None:
    mismatched = set()
    for county in WORLD:
        for reports in series(county).values():
            for before, after in zip(reports, reports[1:], strict=False):
                if any(n(after, f"requests.carried_over.{c}") != n(before, f"requests.carried_forward.{c}")
                       for c in APPLICANTS):
                    mismatched.add((after.agency, after.year))
                if before.template == after.template == "2021":
                    assert all(n(after, f"active.{row}.in_force") == n(before, f"active.{row}.in_force")
                               + n(after, f"active.{row}.issued") - n(after, f"active.{row}.repealed")
                               for row in ("regulations", "normative_documents"))
                assert n(after, "requests.received.total") != n(before, "requests.received.total")
    assert mismatched == {("青山县人力资源和社会保障局", 2024)}


def test_demo_world_portals_publish_what_the_world_says() -> None:
    portals = {portal.code: portal for portal in demo_portals()}
    assert [len(portals[code].reports) for code in ("990101", "990102", "990103", "990104")] == [20, 20, 21, 0]
    traditional = [r for r in portals["990102"].reports if r.traditional]
    assert [(r.agency, r.year) for r in traditional] == [("云溪县水利局", 2024)]
    assert portals["990104"].resources["/"].status == 412
