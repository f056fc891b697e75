"""Recognising 政府信息公开工作年度报告 titles and ranking navigation links."""

from __future__ import annotations

import pytest

from crawler.titles import (
    department_name,
    is_directory_link,
    is_report_column,
    is_report_title,
    nav_score,
    parse_report_title,
    year_in,
)


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("XX县人力资源和社会保障局2023年政府信息公开工作年度报告", "XX县人力资源和社会保障局", 2023),
    ("宿迁市 2025 年政府信息公开工作年度报告", "宿迁市", 2025),
    ("泽州县人民政府2017年度政府信息公开工作报告", "泽州县人民政府", 2017),
    ("宿州市人民政府2019年政府信息公开工作年度报告（图片版）", "宿州市人民政府", 2019),
    ("古县2023年政府信息公开工作年度报告（超链版）.pdf", "古县", 2023),
    ("泽州县2023年政府信息公开工作年度报告-泽州县人民政府", "泽州县", 2023),
    ("高岭镇_2017年_政府信息公开工作年度报告", "高岭镇", 2017),
    ("泽州县教育局2023年度政府信息公开工作年度报告", "泽州县教育局", 2023),
    ("会昌县卫健委2022年政府信息公开年度报告", "会昌县卫健委", 2022),
    ("古县林业局2022年政府信息公开年报", "古县林业局", 2022),
    ("　泽州县发改局2024年政府信息公开工作年度报告　", "泽州县发改局", 2024),
    ("会昌县水利局政府信息公开工作年度报告", "会昌县水利局", None),
])
def test_titles_report_title_gives_agency_and_year(title: str, agency: str, year: int | None) -> None:
    report = parse_report_title(title)
    assert report is not None
    assert (report.agency, report.year) == (agency, year)


def test_titles_variant_is_kept() -> None:
    assert parse_report_title("宿州市人民政府2019年政府信息公开工作年度报告（图片版）").variant == "图片版"
    assert parse_report_title("宿州市人民政府2019年政府信息公开工作年度报告(超链版)").variant == "超链版"


@pytest.mark.parametrize("title", [
    "泽州县2023年法治政府建设年度报告",
    "泽州县人民政府2023年政府网站工作年度报表",
    "关于报送2023年政府信息公开工作年度报告的通知",
    "关于做好2023年政府信息公开工作年度报告编制发布工作的通知",
    "泽州县政府信息公开指南",
    "襄阳市住房公积金2024年年度报告",
    "泽州县2023年部门预算",
    "古县2023年度部门决算",
    "泽州县2024年政务公开工作要点",
    "政府信息公开年报",  # a column name, not a report
    "政府信息公开工作年度报告",
    "2023年度报告",
    "",
    None,
])
def test_titles_look_alikes_are_not_reports(title: str | None) -> None:
    assert not is_report_title(title)


@pytest.mark.parametrize(("text", "url"), [
    ("政府信息公开", "/zfxxgk/"),
    ("政务公开", "/col/col100/index.html"),
    ("信息公开", "/xxgk/"),
    ("政府信息公开年报", "/zfxxgk/zfxxgknb/"),
    ("年度报告", "/xxgk/nb/list?page=1"),
    ("部门信息公开", "/col/col200/index.html"),
    ("2023年", "/zfxxgk/zfxxgknb/2023/"),
    ("", "/zfxxgk/xxgknb/"),
])
def test_titles_nav_score_follows_the_way_to_reports(text: str, url: str) -> None:
    assert nav_score(text, url) > 0


@pytest.mark.parametrize(("text", "url"), [
    ("政府信息公开指南", "/zfxxgk/zfxxgkzn/"),
    ("依申请公开", "/zfxxgk/ysqgk/"),
    ("新闻中心", "/xwzx/"),
    ("法治政府建设年度报告", "/fzzf/"),
    ("关于报送2023年年度报告的通知", "/tz/1.html"),
    ("规划信息", "/zfxxgk/fdzdgknr/ghxx/"),  # under 政府信息公开, but not a column root
    ("泽州县人民政府2023年政府信息公开工作年度报告", "/a.html"),  # a report, not a way to one
])
def test_titles_nav_score_ignores_other_links(text: str, url: str) -> None:
    assert nav_score(text, url) == 0


def test_titles_nav_score_prefers_the_report_column() -> None:
    assert nav_score("政府信息公开年报", "/a/") > nav_score("政府信息公开", "/b/")


def test_titles_departments_are_followed_inside_a_department_directory() -> None:
    assert nav_score("县人力资源和社会保障局", "/col/col201/index.html") == 0
    assert nav_score("县人力资源和社会保障局", "/col/col201/index.html", in_department_directory=True) > 0


def test_titles_year_in_finds_the_first_year() -> None:
    assert year_in("2024-03-25 泽州县2023年报告") == 2023
    assert year_in("无年份") is None


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("安遠縣衛生健康委員會2023年政府信息公開工作年度報告", "安远县卫生健康委员会", 2023),
    ("某縣人民政府2023年政府資訊公開年度報告", "某县人民政府", 2023),
    ("泽州县教育局２０２３年政府信息公开工作年度报告（图片版）", "泽州县教育局", 2023),
    ("泽州县教育局2023年政府信息公开工作年度报告", "泽州县教育局", 2023),
    ("泽 州 县 2023 年 政 府 信 息 公 开 工 作 年 度 报 告", "泽州县", 2023),
    ("會(huì)昌縣2022年政府信息公開工作年度報告", "会昌县", 2022),
])
def test_titles_read_after_the_parsers_normalization(title: str, agency: str, year: int) -> None:
    report = parse_report_title(title)
    assert report is not None
    assert (report.agency, report.year) == (agency, year)


@pytest.mark.parametrize("title", ["安遠縣人民政府2023年政府網站工作年度報表", "某縣2023年法治政府建設年度報告",
                                   "某縣住房公積金2023年年度報告"])
def test_titles_traditional_look_alikes_are_not_reports(title: str) -> None:
    assert not is_report_title(title)


@pytest.mark.parametrize(("text", "url", "column"), [
    ("政府信息公开年报", "/col/col101/index.html", True),
    ("政府信息公開年度報告", "/col/col101/index.html", True),
    ("信息公开年报", "/x/", True),
    ("", "/bmxxgk/sfj/gknb/", True),
    ("政府信息公开指南", "/zfxxgkzn/", False),
    ("机构职能", "/col/col311/index.html", False),
    ("宁都县司法局2023年政府信息公开工作年度报告", "/a.html", False),  # a report, not its column
])
def test_titles_report_column(text: str, url: str, column: bool) -> None:
    assert is_report_column(text, url) is column


@pytest.mark.parametrize(("text", "name"), [
    ("县教育局", "县教育局"), ("宁都县人力资源和社会保障局", "宁都县人力资源和社会保障局"),
    ("县卫生健康委员会", "县卫生健康委员会"), ("城关镇", "城关镇"), ("县政府办", "县政府办"),
    ("首页", None), ("新闻中心", None), ("机构职能", None), ("政府信息公开指南", None), ("", None),
])
def test_titles_department_entries(text: str, name: str | None) -> None:
    assert department_name(text) == name


@pytest.mark.parametrize(("text", "directory"), [
    ("部门信息公开", True), ("部门", True), ("机构设置", True), ("县直部门", True), ("部門資訊公開", True),
    ("政府信息公开", False), ("机构职能", False), ("县教育局", False),
])
def test_titles_directory_links(text: str, directory: bool) -> None:
    assert is_directory_link(text) is directory
