"""Search in Chinese: one- and two-character words find reports (reports_chars, db/search.py), in the store and in
Datasette's search box; an empty result says why; agency_history takes fragments such as 人社."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_datasette import ZEZHOU_HRSS_URL, build_sample_db

from db.browse import make_datasette
from db.search import CHARS_TABLE, fts_query, spaced
from db.store import Store


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("search"))


def _titles(db_path: Path, query: str) -> list[str]:
    datasette = make_datasette(db_path, data_dir=db_path.parent / "data")
    response = asyncio.run(datasette.client.get(f"/nianbao/reports.json?_search={query}&_shape=array&_col=title"))
    assert response.status_code == 200, response.text
    return sorted(row["title"] for row in response.json())


def test_query_is_a_phrase_of_characters() -> None:
    assert spaced("行政复议ABC").split() == ["行", "政", "复", "议", "ABC"]
    assert spaced("2023年GB2312编码").split() == ["2023", "年", "GB2312", "编", "码"]
    assert fts_query("复议") == '"复 议"'
    assert fts_query('人社 "行政 复议"  ') == '"人 社" "行 政 复 议"'
    assert fts_query('"') == '""'  # never an FTS5 syntax error


def test_two_character_words_find_reports(db_path: Path) -> None:
    # 复议 is in the review table of the three real reports, none of the two built ones (which have no text).
    assert _titles(db_path, "复议") == ["前进区人力资源和社会保障局2022年政府信息公开工作年度报告",
                                       "古县人力资源和社会保障局2021年政府信息公开工作年度报告",
                                       "泽州县人力资源和社会保障局2023年政府信息公开工作年度报告"]
    # 丹河 only in 泽州县人社局's address (丹河商务中心); 教育 in the title of the built 教育局 report.
    assert _titles(db_path, "丹河") == ["泽州县人力资源和社会保障局2023年政府信息公开工作年度报告"]
    assert _titles(db_path, "教育") == ["泽州县教育局2023年政府信息公开工作年度报告"]
    # Two words: both must appear; 泽 alone, one character, is found too.
    assert _titles(db_path, "丹河 前进区") == []
    assert "泽州县教育局2023年政府信息公开工作年度报告" in _titles(db_path, "泽")


def test_phrase_is_characters_in_order(db_path: Path) -> None:
    assert _titles(db_path, "河丹") == []  # both characters are there, not in this order


def test_index_follows_new_and_changed_reports(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    store.db.execute("INSERT INTO reports (id, title, agency, text, first_seen) VALUES (9, '某报告', '某局', "
                     "'本年度新收申请三件', '2024-01-01T00:00:00Z')")
    assert store.db.execute("SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?",
                            [fts_query("新收")]).fetchall() == [(9,)]
    store.db.execute("UPDATE reports SET text = '本年度未收到申请' WHERE id = 9")
    assert store.db.execute("SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?",
                            [fts_query("新收")]).fetchall() == []
    store.db.execute("DELETE FROM reports WHERE id = 9")
    assert store.db.execute("SELECT count(*) FROM reports_chars WHERE reports_chars MATCH ?",
                            [fts_query("申请")]).fetchone() == (0,)
    store.close()


def test_empty_search_says_why(db_path: Path) -> None:
    datasette = make_datasette(db_path, data_dir=db_path.parent / "data")
    page = asyncio.run(datasette.client.get("/nianbao/reports?_search=环境督察")).text
    assert "没有找到包含“环境督察”的年报" in page and "检索按字逐个匹配" in page


def test_agency_history_takes_a_fragment(db_path: Path) -> None:
    datasette = make_datasette(db_path, data_dir=db_path.parent / "data")
    rows: list[dict[str, Any]] = asyncio.run(
        datasette.client.get("/nianbao/agency_history.json?agency=人社&_shape=array")).json()
    assert sorted((row["区县"], row["年度"]) for row in rows) == [
        ("前进区", 2022), ("古县", 2021), ("泽州县", 2022), ("泽州县", 2023)]
    zezhou_2023 = next(row for row in rows if row["区县"] == "泽州县" and row["年度"] == 2023)
    assert zezhou_2023["原文"] == ZEZHOU_HRSS_URL and zezhou_2023["行政复议"] == 2


def test_rows_indexed_by_the_older_spacing_are_deleted_exactly() -> None:
    # Stores written before spaced() grouped runs put two spaces between characters; the delete trigger now
    # gives single spaces. The tokens are the same, so the contentless index forgets the old row entirely.
    connection = sqlite3.connect(":memory:")
    connection.execute(CHARS_TABLE)
    old_form = re.sub(r"([\u4e00-\u9fff])", r" \1 ", "人社局行政复议ABC")
    connection.execute("INSERT INTO reports_chars (rowid, title, agency, text) VALUES (1, '', '', ?)", [old_form])
    assert connection.execute("SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?",
                              [fts_query("复议")]).fetchall() == [(1,)]
    connection.execute("INSERT INTO reports_chars (reports_chars, rowid, title, agency, text) "
                       "VALUES ('delete', 1, '', '', ?)", [spaced("人社局行政复议ABC")])
    for word in ("复议", "人", "ABC"):
        assert connection.execute("SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?",
                                  [fts_query(word)]).fetchall() == []
