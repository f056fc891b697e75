"""Schema upgrades: an older database file upgrades itself in place and keeps every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.agency_names import normalize_agency
from db.migrations import apply_migrations, latest_version, schema_version
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
    assert apply_migrations(store.db) == ["labels_versions_and_jobs", "report_search", "indexes_and_views"]
    assert store.db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert store.db.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '泽州县'").fetchone()[0] == 1
    assert apply_migrations(store.db) == []
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
