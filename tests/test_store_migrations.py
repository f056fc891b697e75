"""Schema upgrades: an older database file upgrades itself in place and keeps every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.agency_names import normalize_agency
from db.migrations import MIGRATIONS, apply_migrations, latest_version, schema_version
from db.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "store"


@pytest.fixture
def v1_db_path(tmp_path: Path) -> Path:
    """A database as schema version 1 wrote it (tests/fixtures/store/schema_v1.sql), one report in it."""
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "schema_v1.sql").read_text(encoding="utf-8"))
    connection.close()
    return path


def test_migrations_upgrade_v1_database_keeping_rows(v1_db_path: Path) -> None:
    store = Store.open(v1_db_path)
    assert schema_version(store.db) == latest_version()
    [report] = list(store.current_reports())
    assert (report.agency, report.year, report.published_on) == ("同心县教育局", 2022, "2023-02-15")
    assert report.report.values == {"requests.received.total": 12, "requests.granted.total": 7}
    labels = store.db.execute("SELECT row_label, column_label FROM report_values WHERE key = ?",
                              ["requests.granted.total"]).fetchone()
    assert labels == ("三（一）予以公开", "总计")
    hits = store.db.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?", ["按期答复"]).fetchall()
    assert hits == [(1,)]
    summary = store.db.execute("SELECT received, granted, open_findings FROM report_summary").fetchone()
    assert summary == (12, 7, 1)
    coverage = store.db.execute("SELECT agency, year, present, late, missing, status FROM coverage").fetchone()
    assert coverage == ("同心县教育局", 2022, 1, 1, 0, "逾期")
    assert store.db["job_runs"].exists()
    store.close()


def test_migrations_upgraded_report_takes_new_version(v1_db_path: Path) -> None:
    store = Store.open(v1_db_path)
    old = next(store.current_reports()).report
    old.values["requests.granted.total"] = 8
    outcome = store.ingest_parsed(old, url="http://www.tongxin.gov.cn/zwgk/2023/01/report.html", county_code="640324")
    assert outcome.status == "changed"
    # The agency row of the old file is found again (its key recomputed on open): version 2, same agency.
    assert [(r.version, r.agency_id) for r in store.current_reports()] == [(2, 1)]
    store.close()


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    store.ingest_parsed(_report("泽州县教育局"), url="http://a/1", county_code="140525")
    store.db.execute("PRAGMA user_version = 1")
    assert apply_migrations(store.db) == ["labels_versions_and_jobs", "report_search", "indexes_and_views",
                                          "compact_cells", "coverage_summary", "alert_claims", "portal_directory",
                                          "report_identity_sources", "reader_names", "national_places",
                                          "chinese_search", "retirements_and_dismissals"]
    assert store.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert store.db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '泽州县'").fetchone()[0] == 1
    assert apply_migrations(store.db) == []
    store.close()


@pytest.fixture
def v4_db_path(tmp_path: Path) -> Path:
    """A database as schema version 4 wrote it: the whole report JSON in reports.parsed, one labelled
    report_values row per cell. Holds 泽州县人社局 2023 (the seed text) and a built report whose cells are in
    some maps only (a raw text without a value, a state without a raw text, a float of 万元)."""
    import json

    from parsers import parse_file
    from parsers.schema import key_info

    path = tmp_path / "v4.db"
    db = Database(path)
    for step in MIGRATIONS:
        if step.version <= 4:
            step.apply(db)
    db.execute("PRAGMA user_version = 4")
    db.execute("INSERT INTO counties (code, name) VALUES ('140525', '泽州县')")
    db.execute("""CREATE TABLE IF NOT EXISTS report_values (id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id), key TEXT NOT NULL, section TEXT, "row" TEXT, "column" TEXT,
        number NUMERIC, state TEXT, raw TEXT, unit TEXT, row_label TEXT, column_label TEXT, UNIQUE (report_id, key))""")
    zezhou = parse_file(FIXTURES / "zezhou_hrss_2023.txt")
    built = {"source": "built", "agency": "泽州县教育局", "year": 2022, "template": "2021",
             "values": {"requests.received.total": 3, "active.fees.amount": 1.5, "extra.note.total": None},
             "raw": {"requests.received.total": "3件", "active.fees.amount": "1.5", "requests.granted.total": "见附件"},
             "states": {"requests.received.total": "number", "active.fees.amount": "number",
                        "extra.note.total": "blank"},
             "units": {"active.fees.amount": "万元"}, "sections": ["一"], "tables": ["requests"]}
    for report_id, parsed, text in [(1, zezhou.to_json(), zezhou.text), (2, built, "泽州县教育局2022年报告")]:
        db.execute("""INSERT INTO reports (id, county_code, agency, year, first_seen, parsed, text, content_hash)
                      VALUES (?, '140525', ?, ?, '2024-02-01T00:00:00Z', ?, ?, 'h')""",
                   [report_id, parsed["agency"], parsed["year"], json.dumps(parsed, ensure_ascii=False), text])
        for key in dict.fromkeys([*parsed["values"], *parsed["raw"], *parsed["states"]]):
            info = key_info(key)
            db.execute("""INSERT INTO report_values (report_id, key, number, state, raw, unit, row_label, column_label)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                       [report_id, key, parsed["values"].get(key), parsed["states"].get(key), parsed["raw"].get(key),
                        parsed["units"].get(key), info and info.row_label, info and info.column_label])
    db.close()
    return path


def test_migrations_upgrade_v4_database_cells_rebuild_exactly(v4_db_path: Path) -> None:
    store = Store.open(v4_db_path)
    assert schema_version(store.db) == latest_version()
    zezhou, built = sorted(store.current_reports(), key=lambda r: r.id)
    # The seed text: reviews 1 1 0 0 2, direct litigation 9 4 0 4 17, no applications received.
    assert zezhou.report.values["reviews.review.upheld"] == 1
    assert zezhou.report.values["reviews.litigation_direct.total"] == 17
    assert zezhou.report.values["requests.received.total"] == 0
    assert zezhou.report.states["reviews.litigation_direct.total"] == "number"
    assert "丹河商务中心" in zezhou.report.text
    assert built.report.values == {"requests.received.total": 3, "active.fees.amount": 1.5, "extra.note.total": None}
    assert type(built.report.values["active.fees.amount"]) is float
    assert built.report.raw == {"requests.received.total": "3件", "active.fees.amount": "1.5",
                                "requests.granted.total": "见附件"}
    assert built.report.states == {"requests.received.total": "number", "active.fees.amount": "number",
                                   "extra.note.total": "blank"}
    assert built.report.units == {"active.fees.amount": "万元"}
    assert (built.report.sections, built.report.tables) == (["一"], ["requests"])
    # The cell maps live in cell_values only; report_values is a view with the old columns and labels.
    assert '"values"' not in store.db.execute("SELECT parsed FROM reports WHERE id = 1").fetchone()[0]
    cell = store.db.execute("""SELECT number, state, raw, row_label, column_label FROM report_values
                               WHERE report_id = 1 AND key = 'reviews.litigation_direct.pending'""").fetchone()
    assert cell == (4, "number", "4", "行政诉讼·未经复议直接起诉", "尚未审结")
    assert store.db.execute("SELECT type FROM sqlite_master WHERE name = 'report_values'").fetchone() == ("view",)
    assert store.db.execute("SELECT count(*) FROM report_values WHERE report_id = 2").fetchone() == (4,)
    hits = store.db.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?", ["丹河商务中心"]).fetchall()
    assert hits == [(1,)]
    assert store.db.execute("SELECT received, reviews_total FROM report_summary WHERE report_id = 1").fetchone() == (
        0, 2)
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def test_migrations_refuse_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {latest_version() + 1}")
    connection.close()
    from nianbao.errors import DatabaseError

    with pytest.raises(DatabaseError, match="newer than this nianbao"):
        Store.open(path)


@pytest.mark.parametrize(("long", "short"), [
    ("县人力资源和社会保障局", "县人社局"),
    ("泽州县卫生健康委员会", "泽州县卫健委"),
    ("泽州县卫生健康局", "泽州县卫健委"),
    ("泽州县发展和改革局", "泽州县发展改革局"),
    ("泽州县人民政府办公室", "泽州县政府办公室"),
    ("泽州县 人力資源和社會保障局", "泽州县人社局"),
])
def test_agency_names_variants_match(long: str, short: str) -> None:
    assert normalize_agency(long) == normalize_agency(short)


def test_agency_names_different_agencies_differ() -> None:
    assert normalize_agency("泽州县教育局") != normalize_agency("泽州县人社局")
    assert normalize_agency("泽州县人民政府") != normalize_agency("泽州县政府办公室")


def _report(agency: str):  # noqa: ANN202
    from parsers.report import ParsedReport

    return ParsedReport(source="s", agency=agency, year=2023, text="泽州县教育局2023年政府信息公开工作年度报告")


def test_migration_portal_directory_keeps_agencies_and_crawls(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    store.ingest_parsed(_report("泽州县教育局"), url="http://a/1", county_code="140525")
    store.db.execute("ALTER TABLE agencies DROP COLUMN listed_on_portal")
    store.db.execute("ALTER TABLE crawl_runs DROP COLUMN without_column")
    store.db.execute("PRAGMA user_version = 7")
    assert apply_migrations(store.db)[0] == "portal_directory"
    rows = store.db.execute("SELECT name, listed_on_portal, portal_url FROM agencies").fetchall()
    assert rows == [("泽州县教育局", 0, None)]
    assert "without_column" in store.db["crawl_runs"].columns_dict
    store.close()
