"""The Store: documents in, report versions out. One transaction per document; bytes kept on disk."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from db import files, views
from db.agency_names import normalize_agency
from db.cells import INSERT_CELL_VALUES, CellIds, cell_rows, report_cells
from db.hashing import encode_report, same_facts, sha256_hex
from db.migrations import apply_migrations, latest_version, schema_version
from db.reader_views import refresh_rule_names
from db.readonly import frozen, on_read_only_file_system
from db.report_rows import REPORT_COLUMNS, StoredReport, parse_status, stored_report
from db.search import register_functions
from db.sqlite_errors import sqlite_words
from db.timestamps import utc_now
from db.transactions import DocumentTransaction, immediate, inserted_id
from nianbao.errors import DatabaseError
from parsers import parse_bytes
from parsers.agency_names import is_short_form
from parsers.errors import ParseError
from parsers.hints import Hints, document_hints
from parsers.report import PARSER_VERSION, ParsedReport, read_cell_count

logger = logging.getLogger(__name__)

IngestStatus = Literal["new", "changed", "unchanged", "failed", "degraded"]
NO_AGENCY_YEAR = "no agency/year found"
# ParseError reasons that no retry fixes: the document is kept as `unsupported`, not `failed`.
_UNSUPPORTED_REASONS = {"unsupported_format", "needs_ocr"}

__all__ = ["IngestOutcome", "Store", "StoredReport"]


@dataclass(frozen=True)
class IngestOutcome:
    """What ingesting one document did."""

    status: IngestStatus
    report_id: int | None = None
    document_id: int | None = None
    error: str | None = None



def current_report_filter(year: int | None, county_code: str | None) -> tuple[list[str], list[object]]:
    """WHERE terms and parameters for the current reports (alias r) of a year and/or county."""
    where: list[str] = ["r.is_current = 1"]
    params: list[object] = []
    if year is not None:
        where.append("r.year = ?")
        params.append(year)
    if county_code is not None:
        where.append("r.county_code = ?")
        params.append(county_code)
    return where, params

class Store:
    """The SQLite database and the document files beside it; every write goes through here or db/ siblings."""

    def __init__(self, db: Database, data_dir: Path, clock: Callable[[], str] = utc_now) -> None:
        self.db = db
        self.data_dir = data_dir
        self.clock = clock
        self._known_counties: set[str] = set()
        self._pending_counties: set[str] = set()
        self._changed = False
        self.cells = CellIds(db)

    @classmethod
    def open(cls, db_path: Path | str, data_dir: Path | str | None = None) -> Store:
        """Open (creating or upgrading) the database; documents go under data_dir (default: beside it)."""
        db_path = Path(db_path)
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            db = Database(db_path)
            register_functions(db.conn)  # the search index's triggers call them
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 10000")
            apply_migrations(db)
            store = cls(db, Path(data_dir) if data_dir is not None else db_path.parent)
            store.refresh_agency_keys()
            refresh_rule_names(db)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"{db_path}: 无法打开数据库（{sqlite_words(error)}）") from error
        return store

    @classmethod
    def open_reading(cls, db_path: Path | str, data_dir: Path | str | None = None) -> Store:
        """For commands that only read (status, export, serve): Store.open, or on a read-only file system the
        store read as it is (no upgrade: its schema must be this nianbao's)."""
        db_path = Path(db_path)
        if not on_read_only_file_system(db_path):
            return cls.open(db_path, data_dir)
        try:
            db = Database(frozen(db_path))
            version = schema_version(db)
        except sqlite3.DatabaseError as error:
            raise DatabaseError(f"{db_path}: 无法读取数据库（{sqlite_words(error)}）") from error
        if version != latest_version():
            raise DatabaseError(f"{db_path}: 数据库结构为第 {version} 版，本版 nianbao 读取第 {latest_version()} 版，"
                                "而文件系统只读无法升级：请先在可写的位置打开一次，以升级数据库")
        return cls(db, Path(data_dir) if data_dir is not None else db_path.parent)

    def refresh_agency_keys(self) -> int:
        """Recompute agencies.normalized_name after normalize_agency learnt new spellings; rows changed."""
        # Read without a lock; only a stale key takes the write lock (opening a store should not block writers).
        rows = self.db.execute("SELECT id, county_code, name, normalized_name FROM agencies").fetchall()
        stale = [(agency_id, county_code, normalize_agency(name)) for agency_id, county_code, name, key in rows
                 if normalize_agency(name) != key]
        changed = 0
        if not stale:
            return changed
        with immediate(self.db):
            for agency_id, county_code, fresh in stale:
                # Two rows that now share a key stay apart: merging agencies is a person's decision.
                taken = self.db.execute("SELECT 1 FROM agencies WHERE county_code IS ? AND normalized_name = ?",
                                        [county_code, fresh]).fetchone()
                if taken is None:
                    self.db.execute("UPDATE agencies SET normalized_name = ? WHERE id = ?", [fresh, agency_id])
                    changed += 1
        return changed

    def close(self) -> None:
        """Close the connection, first refreshing the planner's statistics (fast: analysis_limit)."""
        try:
            # Without statistics SQLite scans every current report for one agency's history (issue 3 bench).
            if self._changed:
                views.refresh_coverage_summary(self.db)
                self.db.execute("PRAGMA analysis_limit = 1000")
                self.db.execute("ANALYZE")
        except (sqlite3.Error, DatabaseError) as error:  # statistics and counts are refreshed again later
            logger.warning("关闭数据库时未能更新统计信息和图表计数（下次会再更新）：%s", error)
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Documents ----------------------------------------------------------------------------------

    def document_by_url(self, url: str) -> dict[str, Any] | None:
        """The documents row for a URL (etag, last_modified, sha256, status…), or None."""
        rows = list(self.db.query("SELECT * FROM documents WHERE url = ?", [url]))
        return rows[0] if rows else None

    def touch_document(self, url: str) -> None:
        """The document was seen again, unchanged (an HTTP 304): move last_seen."""
        with self._writing(url):
            self.db.execute("UPDATE documents SET last_seen = ? WHERE url = ?", [self.clock(), url])

    def upsert_county(self, code: str, name: str | None, portal_url: str | None) -> None:
        """Add a county or update its name and portal."""
        with self._writing(code):
            self.db.execute(
                """INSERT INTO counties (code, name, portal_url) VALUES (?, ?, ?)
                   ON CONFLICT (code) DO UPDATE SET name = coalesce(excluded.name, name),
                   portal_url = coalesce(excluded.portal_url, portal_url)""",
                [code, name, portal_url],
            )

    def record_failure(self, url: str, *, county_code: str | None, status: str, error: str,
                       referer: str | None = None, page_title: str | None = None) -> None:
        """Record a document that could not be stored as a report (blocked, unsupported, failed)."""
        with self._writing(url):
            self._ensure_county(county_code)
            self._upsert_document({"url": url, "county_code": county_code, "status": status, "error": error,
                                   "referer": referer, "page_title": page_title})

    # Ingest -------------------------------------------------------------------------------------

    def ingest(self, data: bytes, *, url: str, final_url: str | None = None, referer: str | None = None,
               county_code: str | None = None, content_type: str | None = None, etag: str | None = None,
               last_modified: str | None = None, page_title: str | None = None, page_date: str | None = None,
               parsed: ParsedReport | ParseError | None = None, hints: Hints | None = None) -> IngestOutcome:
        """Parse and store one document: new, changed (a new report version), unchanged or failed.

        `parsed`: what parse_bytes(data, final_url or url, content_type, hints=…) gave in another process
        (db/bulk.py). `hints`: what the caller knows of the document (default: the county's name, the page
        title and the file name in the URL, see parser_hints)."""
        sha256 = sha256_hex(data)
        meta = {"url": url, "final_url": final_url, "referer": referer, "county_code": county_code,
                "content_type": content_type, "etag": etag, "last_modified": last_modified,
                "page_title": page_title, "page_date": page_date, "size": len(data), "sha256": sha256}
        existing = self.document_by_url(url)
        if existing and existing["sha256"] == sha256 and existing["status"] == "parsed":
            return self._seen_again(existing, meta)
        try:
            report: ParsedReport | ParseError
            if parsed is None:
                hints = hints or self.parser_hints(final_url or url, county_code=county_code, page_title=page_title)
                report = parse_bytes(data, final_url or url, content_type, hints=hints)
            else:
                report = parsed
            if isinstance(report, ParseError):
                raise report
        except ParseError as error:
            status = "unsupported" if error.reason in _UNSUPPORTED_REASONS else "failed"
            return self._store_failure(data, meta, status, f"{error.reason}: {error.message}")
        return self._store_report(report, data, meta)

    def county_name(self, code: str | None) -> str | None:
        """The county's name as the sites file gives it (泽州县), or None."""
        if code is None:
            return None
        row = self.db.execute("SELECT name FROM counties WHERE code = ?", [code]).fetchone()
        return row[0] if row else None

    def parser_hints(self, url: str, *, county_code: str | None = None, page_title: str | None = None,
                     link_text: str | None = None) -> Hints:
        """What the store knows of a document for the parser: its county's name, page title, file name."""
        return document_hints(url, county=self.county_name(county_code), page_title=page_title, link_text=link_text)

    def ingest_parsed(self, report: ParsedReport, *, url: str, data: bytes | None = None,
                      final_url: str | None = None, referer: str | None = None, county_code: str | None = None,
                      content_type: str | None = None, etag: str | None = None, last_modified: str | None = None,
                      page_title: str | None = None, page_date: str | None = None) -> IngestOutcome:
        """Store an already-parsed report (skips parsing); with `data`, its document's bytes are kept too."""
        parsed = report.to_json()
        encoded = encode_report(parsed)
        digest = encoded[1]
        # Without bytes, the report's content hash stands in for the document's hash.
        sha256 = sha256_hex(data) if data is not None else digest
        meta = {"url": url, "final_url": final_url, "referer": referer, "county_code": county_code,
                "content_type": content_type, "etag": etag, "last_modified": last_modified,
                "page_title": page_title, "page_date": page_date,
                "size": len(data) if data is not None else None, "sha256": sha256}
        return self._store_report(report, data, meta, parsed, encoded)

    def _seen_again(self, existing: dict[str, Any], meta: dict[str, Any]) -> IngestOutcome:
        with self._writing(meta["url"]):
            self.db.execute(
                """UPDATE documents SET last_seen = ?, etag = coalesce(?, etag),
                   last_modified = coalesce(?, last_modified) WHERE id = ?""",
                [self.clock(), meta["etag"], meta["last_modified"], existing["id"]],
            )
        report_id = self._current_report_of(existing["id"])
        return IngestOutcome("unchanged", report_id, existing["id"])

    def _store_failure(self, data: bytes | None, meta: dict[str, Any], status: str, error: str) -> IngestOutcome:
        # The bytes are kept even when they do not parse: a newer parser may read them.
        path = self._keep_bytes(data, meta)
        with self._writing(meta["url"]):
            self._ensure_county(meta["county_code"])
            document_id = self._upsert_document({**meta, "status": status, "error": error})
            self._add_document_version(document_id, meta, path)
        logger.info("%s: %s", meta["url"], error)
        return IngestOutcome("failed", None, document_id, f"{meta['url']}: {error}")

    def _store_report(self, report: ParsedReport, data: bytes | None, meta: dict[str, Any],
                      parsed: dict[str, Any] | None = None, encoded: tuple[str, str] | None = None) -> IngestOutcome:
        if not report.agency or not report.year:
            doubts = [w for w in report.warnings if w.startswith(("未能确定年报单位", "未能确定报告年度"))]
            return self._store_failure(data, meta, "failed", "；".join([NO_AGENCY_YEAR, *doubts]))
        path = self._keep_bytes(data, meta)
        parsed = parsed if parsed is not None else report.to_json()
        parsed_text, digest = encoded or encode_report(parsed)
        with self._writing(meta["url"]):
            county_code = self._ensure_county(meta["county_code"])
            document_id = self._upsert_document({**meta, "status": "parsed", "error": None})
            self._add_document_version(document_id, meta, path)
            county_code = self._document_county(document_id) if county_code is None else county_code
            agency_id = self._upsert_agency(county_code, report)
            current = self._current_of_document(document_id)
            if current and (current[1] == digest or same_facts(self._parsed_of(current[0]), parsed)):
                return IngestOutcome("unchanged", current[0], document_id)
            version, twin = self._agency_year(county_code, agency_id, report.year, digest)
            if current is None and twin is not None:
                # The same report listed at a second URL: a copy, not a new report.
                return IngestOutcome("unchanged", twin, document_id)
            if current is not None and self._degrades(current[0], parsed):
                # The portal now serves less of the same report (truncated, a table gone): kept as a version,
                # but the complete one stays current; checks raise report_degraded.
                report_id = self._insert_report(report, parsed_text, digest, version, county_code, agency_id,
                                                document_id, meta, parsed, is_current=False)
                return IngestOutcome("degraded", report_id, document_id)
            if current is not None:
                self.db.conn.execute("UPDATE reports SET is_current = 0 WHERE id = ?", [current[0]])
            report_id = self._insert_report(report, parsed_text, digest, version, county_code, agency_id,
                                            document_id, meta, parsed)
        return IngestOutcome("changed" if current else "new", report_id, document_id)

    # Queries --------------------------------------------------------------------------------------

    def current_reports(self, year: int | None = None, county_code: str | None = None) -> Iterator[StoredReport]:
        """The current version of every report, optionally of one year and/or one county."""
        where, params = current_report_filter(year, county_code)
        columns = ", ".join(f"r.{name}" for name in REPORT_COLUMNS)
        sql = (f"SELECT {columns}, a.normalized_name FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id "
               f"WHERE {' AND '.join(where)} ORDER BY r.county_code, r.agency, r.year, r.id")
        for row in self.db.query(sql, params):
            yield stored_report(row, row["normalized_name"], report_cells(self.db, row["id"], self.cells))

    # Helpers (inside the caller's transaction) ------------------------------------------------------

    def _writing(self, url: str) -> Any:
        return DocumentTransaction(self, url)

    def _keep_bytes(self, data: bytes | None, meta: dict[str, Any]) -> str | None:
        if data is None:
            return None
        extension = files.extension_of(data, meta.get("final_url") or meta["url"], meta.get("content_type"))
        try:
            return files.keep(self.data_dir, meta["sha256"], extension, data)
        except OSError as error:
            raise DatabaseError(f"{meta['url']}: 无法把文件保存到 {self.data_dir}（{error.strerror or error}）"
                                ) from error

    def _ensure_county(self, code: str | None) -> str | None:
        if code is not None and code not in self._known_counties:
            self.db.execute("INSERT OR IGNORE INTO counties (code) VALUES (?)", [code])
            # Counties are never deleted, so a code seen once stays known (but not before the commit:
            # a rolled-back transaction must not leave a code marked as stored).
            self._pending_counties.add(code)
        return code

    def _upsert_document(self, meta: dict[str, Any]) -> int:
        now = self.clock()
        names = ["url", "final_url", "referer", "county_code", "content_type", "size", "sha256", "etag",
                 "last_modified", "page_title", "page_date", "status", "error"]
        values = [meta.get(name) for name in names]
        # New facts win; facts not given this time (None) keep what was known.
        updates = ", ".join(
            f"{name} = excluded.{name}" if name in ("status", "error")
            else f"{name} = coalesce(excluded.{name}, {name})"
            for name in names[1:]
        )
        row = self.db.conn.execute(
            f"""INSERT INTO documents ({', '.join(names)}, first_seen, last_seen)
                VALUES ({', '.join('?' * len(names))}, ?, ?)
                ON CONFLICT (url) DO UPDATE SET {updates}, last_seen = excluded.last_seen RETURNING id""",
            [*values, now, now],
        ).fetchone()
        return int(row[0])

    def _add_document_version(self, document_id: int, meta: dict[str, Any], path: str | None) -> None:
        if path is None:
            return
        self.db.execute(
            """INSERT OR IGNORE INTO document_versions (document_id, sha256, size, path, first_seen)
               VALUES (?, ?, ?, ?, ?)""",
            [document_id, meta["sha256"], meta["size"], path, self.clock()],
        )

    def _document_county(self, document_id: int) -> str | None:
        return self.db.execute("SELECT county_code FROM documents WHERE id = ?", [document_id]).fetchone()[0]

    def _upsert_agency(self, county_code: str | None, report: ParsedReport) -> int:
        normalized = normalize_agency(report.agency or "")
        if county_code is not None:
            # One statement; (county_code, normalized_name) is unique. A NULL county never conflicts, hence below.
            row = self.db.conn.execute(
                """INSERT INTO agencies (county_code, name, normalized_name, kind, first_year, last_year)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (county_code, normalized_name) DO UPDATE SET
                   first_year = min(coalesce(first_year, excluded.first_year), excluded.first_year),
                   last_year = max(coalesce(last_year, excluded.last_year), excluded.last_year),
                   kind = coalesce(kind, excluded.kind) RETURNING id, name""",
                [county_code, report.agency, normalized, report.kind, report.year, report.year],
            ).fetchone()
            self._prefer_full_name(int(row[0]), row[1], report.agency)
            return int(row[0])
        found = self.db.execute(
            "SELECT id FROM agencies WHERE county_code IS ? AND normalized_name = ?", [county_code, normalized]
        ).fetchone()
        if found is None:
            cursor = self.db.execute(
                """INSERT INTO agencies (county_code, name, normalized_name, kind, first_year, last_year)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [county_code, report.agency, normalized, report.kind, report.year, report.year],
            )
            return inserted_id(cursor)
        self.db.execute(
            """UPDATE agencies SET first_year = min(coalesce(first_year, ?), ?),
               last_year = max(coalesce(last_year, ?), ?), kind = coalesce(kind, ?) WHERE id = ?""",
            [report.year, report.year, report.year, report.year, report.kind, found[0]],
        )
        return int(found[0])

    def _prefer_full_name(self, agency_id: int, stored: str, seen: str | None) -> None:
        """An agency first seen as 清源县教体局 takes the full name 清源县教育体育局 when a report gives it."""
        if seen and seen != stored and is_short_form(stored) and not is_short_form(seen):
            self.db.conn.execute("UPDATE agencies SET name = ? WHERE id = ?", [seen, agency_id])

    def _current_report_of(self, document_id: int) -> int | None:
        row = self._current_of_document(document_id)
        return row[0] if row else None

    def _current_of_document(self, document_id: int) -> tuple[int, str | None] | None:
        """(id, content_hash) of the document's current report."""
        return self.db.conn.execute(
            "SELECT id, content_hash FROM reports WHERE document_id = ? AND is_current = 1", [document_id]
        ).fetchone()

    def _parsed_of(self, report_id: int) -> dict[str, Any]:
        parsed = json.loads(self.db.conn.execute("SELECT parsed FROM reports WHERE id = ?", [report_id]).fetchone()[0])
        return {**parsed, **report_cells(self.db, report_id, self.cells)}

    def _agency_year(self, county_code: str | None, agency_id: int, year: int, digest: str) -> tuple[int, int | None]:
        """The next version number for this agency and year, and a current report with these very facts."""
        row = self.db.conn.execute(
            """SELECT coalesce(max(version), 0) + 1,
                      max(CASE WHEN is_current = 1 AND county_code IS ? AND content_hash = ? THEN id END)
               FROM reports WHERE agency_id = ? AND year = ?""",
            [county_code, digest, agency_id, year],
        ).fetchone()
        return int(row[0]), row[1]

    def _degrades(self, current_id: int, parsed: dict[str, Any]) -> bool:
        """True when the current report was read completely and this reading of its document has fewer cells
        or fewer sections."""
        status = self.db.conn.execute("SELECT parse_status FROM reports WHERE id = ?", [current_id]).fetchone()
        if not status or status[0] != "parsed":
            return False
        current = self._parsed_of(current_id)
        return (read_cell_count(parsed.get("states") or {}) < read_cell_count(current.get("states") or {})
                or len(parsed.get("sections") or ()) < len(current.get("sections") or ()))

    def _insert_report(self, report: ParsedReport, parsed_text: str, digest: str, version: int,
                       county_code: str | None, agency_id: int, document_id: int, meta: dict[str, Any],
                       parsed: dict[str, Any], *, is_current: bool = True) -> int:
        row = {
            "county_code": county_code, "agency_id": agency_id, "agency": report.agency, "kind": report.kind,
            "year": report.year, "version": version, "is_current": int(is_current),
            "title": report.title or meta["page_title"],
            "template": report.template, "published_on": report.published_on, "page_date": meta["page_date"],
            "first_seen": self.clock(), "source_url": meta["final_url"] or meta["url"], "document_id": document_id,
            "sha256": meta["sha256"], "parse_status": parse_status(report), "parser_version": PARSER_VERSION,
            "agency_source": report.agency_source, "agency_confidence": report.agency_confidence,
            "year_source": report.year_source, "year_confidence": report.year_confidence,
            "warnings": json.dumps(report.warnings, ensure_ascii=False),
            "parsed": parsed_text, "text": report.text, "content_hash": digest,
        }
        cursor = self.db.conn.execute(
            f"INSERT INTO reports ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        report_id = inserted_id(cursor)
        self.db.conn.executemany(INSERT_CELL_VALUES, cell_rows(report_id, parsed, self.cells))
        return report_id
