"""A crawl of two counties whose reports open with 现发布《…》 and its variants gives each body one agency.

The portals (samples/identity_portals.py) are served on 127.0.0.1; the real spider crawls them into a real
SQLite store and `nianbao check` runs on it. Expected values are read off the portals' design: which body
published which year.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.run import CrawlSummary, crawl
from nianbao.cli import main
from samples.identity_portals import identity_portals
from samples.portal_server import PortalServer, serve

BODIES = ("人民政府", "人力资源和社会保障局", "教育体育局", "市场监督管理局", "卫生健康委员会")
COUNTIES = {"141099": "清源县", "360799": "石城县"}
# Every body of both counties published 2021–2023, except 清源县教育体育局 2023.
EXPECTED = {(code, county + body, year) for code, county in COUNTIES.items() for body in BODIES
            for year in (2021, 2022, 2023)} - {("141099", "清源县教育体育局", 2023)}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, CrawlSummary]]:
    """One crawl of both portals into a fresh store, then `nianbao check` as of 2024-06-01."""
    server: PortalServer = serve(identity_portals())
    data = tmp_path_factory.mktemp("identity")
    try:
        sites = data / "sites.csv"
        sites.write_text("code,name,url\n" + "".join(f"{p.code},{p.name},{server.url(p)}\n" for p in server.portals),
                         encoding="utf-8")
        overrides = {"download_delay": 0, "autothrottle": False,
                     "allowed_private_hosts": [server.host(p) for p in server.portals]}
        summary = crawl(sites, data / "nianbao.db", data, overrides=overrides)
    finally:
        server.close()
    yield data / "nianbao.db", summary


def rows(db_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql).fetchall()


def test_every_report_is_stored_under_its_agency_and_year(crawled: tuple[Path, CrawlSummary]) -> None:
    db_path, _ = crawled
    stored = rows(db_path, """SELECT r.county_code, a.name, r.year FROM reports r JOIN agencies a ON a.id = r.agency_id
                              WHERE r.is_current = 1""")
    assert len(stored) == len(EXPECTED) == 29
    assert set(stored) == EXPECTED


def test_each_department_is_one_agency_across_its_years(crawled: tuple[Path, CrawlSummary]) -> None:
    db_path, _ = crawled
    agencies = rows(db_path, "SELECT county_code, name, first_year, last_year FROM agencies ORDER BY county_code, name")
    expected = sorted((code, county + body, 2021, 2022 if (code, body) == ("141099", "教育体育局") else 2023)
                      for code, county in COUNTIES.items() for body in BODIES)
    assert sorted(agencies) == expected
    # No sentence, pronoun or short form became an agency name.
    assert not [name for _, name, _, _ in agencies if any(w in name for w in ("根据", "公布", "本单位", "县人社局"))]


def test_stored_reports_say_where_their_agency_came_from(crawled: tuple[Path, CrawlSummary]) -> None:
    db_path, _ = crawled
    stored = rows(db_path, "SELECT agency_source, agency_confidence, parse_status FROM reports WHERE is_current = 1")
    assert all(source is not None and confidence >= 0.6 for source, confidence, _ in stored)
    assert {status for _, _, status in stored} == {"parsed"}
    # The opening sentence named the agency of most reports; the rest came from the title, signature or page.
    assert sum(1 for source, _, _ in stored if source == "opening") >= 10


def test_check_raises_missing_report_only_for_the_body_that_did_not_publish(
        crawled: tuple[Path, CrawlSummary]) -> None:
    db_path, _ = crawled
    result = CliRunner().invoke(main, ["check", "--db", str(db_path), "--as-of", "2024-06-01", "--json"])
    assert result.exit_code == 0, result.output
    findings = [json.loads(line) for line in result.output.splitlines()]
    missing = [(f["county"], f["agency"], f["year"]) for f in findings if f["rule"] == "missing_report"]
    assert missing == [("141099", "清源县教育体育局", 2023)]
    stored = rows(db_path, "SELECT county_code, agency, year FROM findings WHERE rule = 'missing_report'")
    assert stored == [("141099", "清源县教育体育局", 2023)]
