"""The store on a real SQLite file: ingest, versions, failures, rollback, search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.store import Store
from nianbao.errors import DatabaseError
from parsers.report import ParsedReport

FIXTURES = Path(__file__).parent / "fixtures" / "store"
ZEZHOU_URL = "http://www.zezhou.gov.cn/zwgk/rsj/2024/01/P020240124_1.txt"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "nianbao.db", tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def zezhou_bytes() -> bytes:
    """泽州县人社局 2023 report: reviews 1 1 0 0 2, direct litigation 9 4 0 4 17, dated 2024年1月24日."""
    return (FIXTURES / "zezhou_hrss_2023.txt").read_bytes()


def table_rows(store: Store, table: str, skip: tuple[str, ...] = ()) -> list[dict]:
    rows = [dict(row) for row in store.db.query(f"SELECT * FROM {table}")]
    for row in rows:
        for name in skip:
            row.pop(name)
    return rows


def snapshot(store: Store, skip_last_seen: bool = False) -> dict[str, list[dict]]:
    tables = ("counties", "agencies", "documents", "document_versions", "reports", "cells", "cell_values")
    return {t: table_rows(store, t, ("last_seen",) if skip_last_seen and t == "documents" else ()) for t in tables}


def test_store_ingest_keeps_report_cells_and_file(store: Store, zezhou_bytes: bytes, tmp_path: Path) -> None:
    outcome = store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525", page_date="2024-01-25")
    assert outcome.status == "new"
    [stored] = list(store.current_reports())
    assert (stored.agency, stored.year, stored.county_code) == ("泽州县人力资源和社会保障局", 2023, "140525")
    assert stored.published_on == "2024-01-24"
    assert stored.page_date == "2024-01-25"
    assert stored.source_url == ZEZHOU_URL
    assert stored.version == 1
    assert stored.report.values["reviews.review.upheld"] == 1
    assert stored.report.values["reviews.litigation_direct.total"] == 17
    assert "丹河商务中心" in stored.report.text
    cell = store.db.execute(
        "SELECT number, state, raw, row_label, column_label FROM report_values WHERE key = ?",
        ["reviews.litigation_direct.pending"],
    ).fetchone()
    assert cell == (4, "number", "4", "行政诉讼·未经复议直接起诉", "尚未审结")
    [path] = [row["path"] for row in store.db.query("SELECT path FROM document_versions")]
    assert (tmp_path / "data" / path).read_bytes() == zezhou_bytes


def test_store_reingest_same_document_changes_nothing(store: Store, zezhou_bytes: bytes) -> None:
    store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    before = snapshot(store, skip_last_seen=True)
    again = store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    assert again.status == "unchanged"
    assert snapshot(store, skip_last_seen=True) == before


def test_store_changed_document_adds_version_and_keeps_old(store: Store, zezhou_bytes: bytes) -> None:
    first = store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    # The portal edits the report after publication: direct litigation 9 upheld becomes 8, total 16.
    edited = zezhou_bytes.replace(b"1\t1\t0\t0\t2\t9\t4\t0\t4\t17", b"1\t1\t0\t0\t2\t8\t4\t0\t4\t16")
    assert edited != zezhou_bytes
    second = store.ingest(edited, url=ZEZHOU_URL, county_code="140525")
    assert second.status == "changed"
    assert second.document_id == first.document_id
    [current] = list(store.current_reports())
    assert current.id == second.report_id
    assert current.version == 2
    assert current.report.values["reviews.litigation_direct.total"] == 16
    history = list(store.db.query(
        """SELECT r.version, r.is_current, v.number FROM reports r JOIN report_values v ON v.report_id = r.id
           WHERE v.key = 'reviews.litigation_direct.total' ORDER BY r.version"""))
    assert history == [{"version": 1, "is_current": 0, "number": 17}, {"version": 2, "is_current": 1, "number": 16}]
    assert store.db.execute("SELECT count(*) FROM document_versions").fetchone()[0] == 2


def test_store_same_report_at_second_url_is_unchanged(store: Store, zezhou_bytes: bytes) -> None:
    first = store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    copy = store.ingest(zezhou_bytes, url="http://www.zezhou.gov.cn/xxgk/ndbg/P2023.txt", county_code="140525")
    assert copy.status == "unchanged"
    assert copy.report_id == first.report_id
    assert len(list(store.current_reports())) == 1


def test_store_unreadable_document_recorded_as_failed_with_bytes_kept(store: Store, tmp_path: Path) -> None:
    data = "本站正在维护，请稍后访问。".encode()
    outcome = store.ingest(data, url="http://www.zezhou.gov.cn/maintenance.html", county_code="140525")
    assert outcome.status == "failed"
    assert "http://www.zezhou.gov.cn/maintenance.html" in outcome.error
    assert "not_a_report" in outcome.error
    document = store.document_by_url("http://www.zezhou.gov.cn/maintenance.html")
    assert document["status"] == "failed"
    assert document["error"].startswith("not_a_report")
    [path] = [row["path"] for row in store.db.query("SELECT path FROM document_versions")]
    assert (tmp_path / "data" / path).read_bytes() == data
    assert list(store.current_reports()) == []


def test_store_report_without_agency_is_failed_not_invented(store: Store) -> None:
    report = ParsedReport(source="x.html", agency=None, year=2023, template="2021")
    outcome = store.ingest_parsed(report, url="http://example.gov.cn/x.html", county_code="140525")
    assert outcome.status == "failed"
    assert outcome.error.endswith("no agency/year found")
    assert store.document_by_url("http://example.gov.cn/x.html")["error"] == "no agency/year found"
    assert store.db.execute("SELECT count(*) FROM agencies").fetchone()[0] == 0


def test_store_failing_document_rolls_back_whole(store: Store, zezhou_bytes: bytes) -> None:
    store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    before = snapshot(store)
    # A real SQLite failure in the middle of writing the cells of the second version.
    store.db.execute("""CREATE TRIGGER refuse BEFORE INSERT ON cell_values
        WHEN NEW.cell = (SELECT id FROM cells WHERE key = 'requests.granted.total')
        BEGIN SELECT RAISE(ABORT, 'disk full'); END""")
    edited = zezhou_bytes.replace(b"1\t1\t0\t0\t2\t9", b"1\t1\t0\t0\t2\t8")
    with pytest.raises(DatabaseError, match=ZEZHOU_URL):
        store.ingest(edited, url=ZEZHOU_URL, county_code="140525")
    assert snapshot(store) == before
    assert store.document_by_url(ZEZHOU_URL)["status"] == "parsed"


def test_store_current_reports_filters_year_and_county(store: Store) -> None:
    for county, agency, year in [("140525", "泽州县教育局", 2022), ("140525", "泽州县教育局", 2023),
                                 ("640324", "同心县教育局", 2023)]:
        report = ParsedReport(source="s", agency=agency, year=year, template="2021",
                              values={"requests.received.total": year - 2000})
        assert store.ingest_parsed(report, url=f"http://{county}.example/{year}", county_code=county).status == "new"
    assert [(r.county_code, r.year) for r in store.current_reports(year=2023)] == [("140525", 2023), ("640324", 2023)]
    assert [r.agency for r in store.current_reports(county_code="640324")] == ["同心县教育局"]
    assert [r.report.values["requests.received.total"] for r in store.current_reports(county_code="140525")] == [22, 23]


def test_store_agency_spellings_share_one_row(store: Store) -> None:
    for url, agency, year in [("http://a/1", "同心县人力资源和社会保障局", 2022), ("http://a/2", "同心县人社局", 2023)]:
        store.ingest_parsed(ParsedReport(source=url, agency=agency, year=year), url=url, county_code="640324")
    agencies = list(store.db.query("SELECT name, normalized_name, first_year, last_year FROM agencies"))
    assert agencies == [{"name": "同心县人力资源和社会保障局", "normalized_name": "人社局",
                         "first_year": 2022, "last_year": 2023}]


def test_store_search_finds_chinese_text(store: Store, zezhou_bytes: bytes) -> None:
    store.ingest(zezhou_bytes, url=ZEZHOU_URL, county_code="140525")
    hits = store.db.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?", ["丹河商务中心"]).fetchall()
    assert hits == [(1,)]
    assert store.db.execute("SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?", ["教育局"]).fetchall() == []


def test_store_documents_touch_failure_and_county(store: Store) -> None:
    store.upsert_county("140525", "泽州县", "http://www.zezhou.gov.cn/")
    store.record_failure("http://www.zezhou.gov.cn/a.ofd", county_code="140525", status="unsupported",
                         error="unsupported_format: OFD", page_title="2023年报")
    document = store.document_by_url("http://www.zezhou.gov.cn/a.ofd")
    assert (document["status"], document["error"], document["page_title"]) == (
        "unsupported", "unsupported_format: OFD", "2023年报")
    store.clock = lambda: "2030-01-01T00:00:00Z"
    store.touch_document("http://www.zezhou.gov.cn/a.ofd")
    assert store.document_by_url("http://www.zezhou.gov.cn/a.ofd")["last_seen"] == "2030-01-01T00:00:00Z"
    assert store.document_by_url("http://nowhere/") is None
    county = store.db.execute("SELECT name, portal_url FROM counties WHERE code = '140525'").fetchone()
    assert county == ("泽州县", "http://www.zezhou.gov.cn/")


def test_store_settings_wal_and_foreign_keys(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO cell_values (report_id, cell, state) VALUES (999, 1, 0)")


def test_store_same_facts_in_other_key_order_is_unchanged(store: Store) -> None:
    values = {"requests.received.total": 3, "requests.granted.total": 2}
    first = ParsedReport(source="a", agency="泽州县教育局", year=2023, values=dict(values))
    reordered = ParsedReport(source="b", agency="泽州县教育局", year=2023, values=dict(reversed(values.items())),
                             warnings=["a parser note that is not a fact"])
    assert store.ingest_parsed(first, url="http://a/1", county_code="140525").status == "new"
    assert store.ingest_parsed(reordered, url="http://a/1", county_code="140525").status == "unchanged"
    reordered.values["requests.granted.total"] = 1
    assert store.ingest_parsed(reordered, url="http://a/1", county_code="140525").status == "changed"


def test_store_waits_for_another_writer(tmp_path: Path) -> None:
    import threading

    db_path = tmp_path / "shared.db"
    Store.open(db_path).close()
    locked, release = threading.Event(), threading.Event()

    def hold_write_lock() -> None:
        other = Store.open(db_path)
        other.db.execute("BEGIN IMMEDIATE")
        other.db.execute("INSERT INTO counties (code, name) VALUES ('640324', '同心县')")
        locked.set()
        release.wait(5)
        other.db.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    assert locked.wait(5)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    with Store.open(db_path) as store:  # waits (busy_timeout) instead of failing with "database is locked"
        outcome = store.ingest_parsed(ParsedReport(source="s", agency="同心县教育局", year=2023),
                                      url="http://a/1", county_code="640324")
        assert outcome.status == "new"
        assert store.db.execute("SELECT name FROM counties WHERE code = '640324'").fetchone() == ("同心县",)
    holder.join()
