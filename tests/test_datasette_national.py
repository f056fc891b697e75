"""National views through Datasette's own client: counties rolled up to city and province by the official division
names, rankings by share on time / complete / consistent, a county's departments × years, the publication-day
histogram, and a blocked county listed as blocked (build_sample_db's docstring says what the store holds)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_datasette import build_sample_db

from db.browse import make_datasette
from db.crawl_runs import SiteRun, record_runs
from db.places import division_rows
from db.store import Store


@pytest.fixture(scope="module")
def query(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("national")
    db_path = build_sample_db(folder)
    store = Store.open(db_path, folder / "data")
    store.upsert_county("140521", "沁水县", "http://140521.example.gov.cn/")  # its portal answers a JS challenge
    store.close()
    record_runs(db_path, [SiteRun("140521", "2024-04-02T01:00:00Z", "2024-04-02T01:01:00Z", "blocked",
                                  pages=1, blocked=1, message="JavaScript challenge")])
    datasette = make_datasette(db_path, data_dir=folder / "data")

    def run(name: str, **params: str) -> list[dict[str, Any]]:
        arguments = "&".join(f"{key}={value}" for key, value in params.items())
        response = asyncio.run(datasette.client.get(f"/nianbao/{name}.json?_shape=array&{arguments}"))
        assert response.status_code == 200, response.text
        return response.json()

    return run


def test_division_list_names_cities_and_provinces() -> None:
    names = dict(division_rows())
    assert (names["140000"], names["140500"], names["140525"]) == ("山西省", "晋城市", "泽州县")
    assert (names["230800"], names["230804"]) == ("佳木斯市", "前进区")
    assert names["110100"] == "北京市"  # a municipality's districts roll up to the municipality


def test_county_ranking_lists_blocked_first_then_lowest_on_time(query: Any) -> None:
    rows = query("county_ranking", year="2023")
    assert [row["区县"] for row in rows] == ["沁水县", "古县", "前进区", "泽州县"]
    qinshui = rows[0]
    assert (qinshui["省份"], qinshui["地市"], qinshui["最近抓取"], qinshui["按时率"]) == ("山西省", "晋城市", "被拦截",
                                                                                      None)
    zezhou = rows[-1]
    # 2023 in 泽州县: 人社局 on time, 教育局 late, 卫生健康局 missing; 人社局's report has an open balance error.
    assert (zezhou["已发布"], zezhou["按时"], zezhou["逾期"], zezhou["缺失"]) == (2, 1, 1, 1)
    # 人社局 2023 (tests/fixtures/store/zezhou_hrss_2023.txt) has no 行政强制 row in table 二: read partial.
    assert (zezhou["按时率"], zezhou["完整率"], zezhou["一致率"]) == (33.3, 50.0, 50.0)


def test_city_and_province_rankings_roll_counties_up(query: Any) -> None:
    cities = {row["地市"]: row for row in query("city_ranking", year="")}
    jincheng = cities["晋城市"]
    assert (jincheng["省份"], jincheng["监测区县"], jincheng["抓取受阻区县"]) == ("山西省", 2, 1)
    assert jincheng["按时率"] == 50.0  # 2022 and 2023 of 泽州县: 2 on time of 2 + 1 + 1 missing
    provinces = query("province_ranking", year="")
    assert [(row["省份"], row["按时率"]) for row in provinces] == [("山西省", 60.0), ("黑龙江省", 100.0)]
    assert provinces[0]["抓取受阻区县"] == 1


def test_scorecard_and_grid_accept_name_fragments(query: Any) -> None:
    by_city = query("county_scorecard", county="晋城")
    assert [(row["年度"], row["按时"], row["逾期"], row["缺失"]) for row in by_city] == [
        (2022, 1, 0, 0), (2023, 1, 1, 1)]
    assert by_city[0]["抓取受阻的区县"] == "沁水县：被拦截"
    grid = {row["机关"]: row for row in query("county_grid", county="泽州")}
    assert grid["泽州县人力资源和社会保障局"]["各年度"] == "2022：按时\u30002023：按时·矛盾"
    assert grid["泽州县教育局"]["各年度"] == "2023：逾期"
    assert grid["泽州县卫生健康局"]["各年度"] == "2023：缺失"


def test_publication_days_around_the_deadline(query: Any) -> None:
    # 人社局 dated 2024-01-24 (7 days early), 教育局 2024-02-20 (20 days late); deadline 2024-01-31.
    rows = query("publication_days", year="2023")
    assert [(row["距期限天数"], row["机关类型"], row["年报数"]) for row in rows] == [
        (-7, "部门（1月31日）", 1), (20, "部门（1月31日）", 1)]
