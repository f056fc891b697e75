"""missing_report: expected from history and from the watch list, after the deadline and one grace crawl."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from checks_factory import consistent_report

from checks import CheckSettings, ReportRecord, check_all, read_watch_list
from checks.watchlist import WatchedAgency
from nianbao.errors import InputError

SETTINGS = CheckSettings(years=(2023,))


def stored(agency: str, year: int, county: str = "140525") -> ReportRecord:
    report = consistent_report(year, agency=agency, note=f"{year}")
    return ReportRecord(report, county, agency, year, url=f"http://127.0.0.1/{year}.html",
                        document=f"{agency}{year}", published_on=report.published_on)


def missing(findings: list) -> list[tuple]:
    return [(f.agency, f.year, f.expected) for f in findings if f.rule == "missing_report"]


def test_missing_report_from_history_after_deadline_and_grace() -> None:
    reports = [stored("泽州县教育局", 2022)]
    assert missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 2, 5))) == []  # within 7 grace days
    assert missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1))) == [
        ("泽州县教育局", 2023, "2024-01-31")]


def test_missing_report_not_raised_when_published() -> None:
    reports = [stored("泽州县教育局", 2022), stored("泽州县教育局", 2023)]
    assert missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1))) == []


def test_missing_report_waits_for_a_crawl_after_grace() -> None:
    reports = [stored("泽州县教育局", 2022)]
    crawled_before = {"140525": date(2024, 2, 1)}
    assert missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1), crawled=crawled_before)) == []
    crawled_after = {"140525": date(2024, 2, 20)}
    assert len(missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1), crawled=crawled_after))) == 1


def test_missing_report_from_watch_list_without_history() -> None:
    watch = [WatchedAgency("140525", "县人社局", "hr@example.org")]
    findings = check_all([], settings=SETTINGS, as_of=date(2024, 3, 1), watch=watch)
    assert missing(findings) == [("县人社局", 2023, "2024-01-31")]
    assert "关注名单" in findings[0].message


def test_missing_report_watch_list_matches_normalized_names() -> None:
    watch = [WatchedAgency("140525", "县人社局")]
    reports = [stored("泽州县人力资源和社会保障局", 2023)]
    assert missing(check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1), watch=watch)) == []


def test_missing_report_government_deadline_march_31() -> None:
    watch = [WatchedAgency("140525", "泽州县人民政府")]
    assert missing(check_all([], settings=SETTINGS, as_of=date(2024, 3, 20), watch=watch)) == []
    assert missing(check_all([], settings=SETTINGS, as_of=date(2024, 4, 10), watch=watch)) == [
        ("泽州县人民政府", 2023, "2024-03-31")]


def test_read_watch_list_with_header_and_optional_email(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("county_code,agency,email\n140525,县人社局,hr@example.org\n140525,泽州县教育局\n", "utf-8")
    assert read_watch_list(path) == [WatchedAgency("140525", "县人社局", "hr@example.org"),
                                     WatchedAgency("140525", "泽州县教育局")]


def test_read_watch_list_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("140525,县人社局\n14052,县教育局\n", "utf-8")
    with pytest.raises(InputError, match=r"agencies.csv:2: '14052' 不是6位县区行政区划代码"):
        read_watch_list(path)


def test_missing_report_expected_after_a_skipped_year_within_expected_years() -> None:
    # Published 2021 only: 2022 skipped, so for 2023 it is still expected (2020–2022 window of three years).
    reports = [stored("泽州县教育局", 2021)]
    found = check_all(reports, settings=SETTINGS, as_of=date(2024, 3, 1))
    assert missing(found) == [("泽州县教育局", 2023, "2024-01-31")]
    assert "该单位发布过2021年度报告" in found[0].message
    # With a window of one year, a skipped year ends the expectation.
    one_year = CheckSettings(years=(2023,), expected_years=1)
    assert missing(check_all(reports, settings=one_year, as_of=date(2024, 3, 1))) == []
    # Four years back is outside the default window.
    assert missing(check_all([stored("泽州县教育局", 2019)], settings=SETTINGS, as_of=date(2024, 3, 1))) == []


def test_missing_report_old_year_stays_judged_while_its_finding_is_open() -> None:
    reports = [stored("泽州县教育局", 2022)]
    later = CheckSettings()  # watched years as of 2026-05-01: 2024 and 2025
    assert missing(check_all(reports, settings=later, as_of=date(2026, 5, 1))) == [
        ("泽州县教育局", 2024, "2025-01-31"), ("泽州县教育局", 2025, "2026-01-31")]
    assert missing(check_all(reports, settings=later, as_of=date(2026, 5, 1), open_missing_years=[2023])) == [
        ("泽州县教育局", 2023, "2024-01-31"), ("泽州县教育局", 2024, "2025-01-31"),
        ("泽州县教育局", 2025, "2026-01-31")]


def test_missing_report_not_expected_once_retired() -> None:
    reports = [stored("泽州县教育局", 2022)]
    retired = {("140525", "教育局"): 2024}
    found = check_all(reports, settings=CheckSettings(years=(2023, 2024, 2025)), as_of=date(2026, 5, 1),
                      retired=retired)
    assert missing(found) == [("泽州县教育局", 2023, "2024-01-31")]  # 2023 was still owed


def test_watch_list_retired_column_ends_the_expectation(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("county_code,agency,email,retired_since,reason\n140525,县人社局,,2024,并入县政务服务中心\n"
                    "140525,县教育局,edu@example.org\n", "utf-8")
    watch = read_watch_list(path)
    assert watch[0] == WatchedAgency("140525", "县人社局", None, 2024, "并入县政务服务中心")
    found = check_all([stored("泽州县人社局", 2022)], settings=CheckSettings(years=(2023, 2024)),
                      as_of=date(2025, 3, 1), watch=watch)
    assert missing(found) == [("县人社局", 2023, "2024-01-31"), ("县教育局", 2023, "2024-01-31"),
                              ("县教育局", 2024, "2025-01-31")]


def test_read_watch_list_bad_retired_year(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("140525,县人社局,,24年\n", "utf-8")
    with pytest.raises(InputError, match=r"agencies.csv:1: 撤销年度 '24年' 不是年份"):
        read_watch_list(path)
