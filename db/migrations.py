"""Schema migrations: registered in order, each idempotent and run in one transaction.

The schema version is `PRAGMA user_version`: a database written by an older nianbao upgrades itself
in place when opened, keeping every row. Modelled on sqlite_utils/migrations.py, but keyed on
user_version so that `sqlite3 nianbao.db 'pragma user_version'` tells which schema a file has.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from db import cells, places, reader_views, search, views
from db.hashing import content_hash
from db.transactions import immediate
from parsers.schema import key_info

logger = logging.getLogger(__name__)

MigrationFunction = Callable[[Database], None]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: MigrationFunction


MIGRATIONS: list[Migration] = []


def migration(version: int) -> Callable[[MigrationFunction], MigrationFunction]:
    """Register a migration that brings the schema to `version` (versions are 1, 2, 3… in order)."""

    def register(function: MigrationFunction) -> MigrationFunction:
        if any(m.version == version for m in MIGRATIONS):
            raise ValueError(f"migration version {version} registered twice")
        MIGRATIONS.append(Migration(version, function.__name__, function))
        MIGRATIONS.sort(key=lambda m: m.version)
        return function

    return register


def schema_version(db: Database) -> int:
    """The version the database file is at (0 for a new, empty file)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def latest_version() -> int:
    """The version this code writes."""
    return MIGRATIONS[-1].version


def apply_migrations(db: Database) -> list[str]:
    """Run every pending migration, each with its version bump in one transaction; names of those run."""
    current = schema_version(db)
    if current > latest_version():
        from nianbao.errors import DatabaseError

        raise DatabaseError(
            f"{db.conn}: schema version {current} is newer than this nianbao ({latest_version()}); upgrade nianbao"
        )
    ran = []
    for step in MIGRATIONS:
        if step.version <= current:
            continue
        with immediate(db):
            # Another process may have migrated while this one waited for the write lock.
            if schema_version(db) >= step.version:
                continue
            step.apply(db)
            db.execute(f"PRAGMA user_version = {int(step.version)}")
        logger.info("database migrated to version %d (%s)", step.version, step.name)
        ran.append(step.name)
    return ran


def _add_column(db: Database, table: str, column: str, declaration: str) -> bool:
    """ALTER TABLE ADD COLUMN unless the column is there already (so a migration can run twice)."""
    if column in db[table].columns_dict:
        return False
    db.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {declaration}')
    return True


@migration(1)
def core_tables(db: Database) -> None:
    """Counties, agencies, documents and their versions, reports and their cells, findings, alerts, crawls."""
    statements = [
        """CREATE TABLE IF NOT EXISTS counties (
            code TEXT PRIMARY KEY, name TEXT, portal_url TEXT)""",
        """CREATE TABLE IF NOT EXISTS agencies (
            id INTEGER PRIMARY KEY, county_code TEXT REFERENCES counties(code), name TEXT NOT NULL,
            normalized_name TEXT NOT NULL, kind TEXT, email TEXT, first_year INTEGER, last_year INTEGER,
            watched INTEGER NOT NULL DEFAULT 0, UNIQUE (county_code, normalized_name))""",
        """CREATE TABLE IF NOT EXISTS documents (
            id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, final_url TEXT, referer TEXT,
            county_code TEXT REFERENCES counties(code), content_type TEXT, size INTEGER, sha256 TEXT,
            etag TEXT, last_modified TEXT, page_title TEXT, page_date TEXT, status TEXT NOT NULL, error TEXT,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS document_versions (
            id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id), sha256 TEXT NOT NULL,
            size INTEGER, path TEXT, first_seen TEXT NOT NULL, UNIQUE (document_id, sha256))""",
        """CREATE TABLE IF NOT EXISTS reports (
            id INTEGER PRIMARY KEY, county_code TEXT REFERENCES counties(code),
            agency_id INTEGER REFERENCES agencies(id), agency TEXT, kind TEXT, year INTEGER,
            version INTEGER NOT NULL DEFAULT 1, is_current INTEGER NOT NULL DEFAULT 1, title TEXT, template TEXT,
            published_on TEXT, page_date TEXT, first_seen TEXT NOT NULL, source_url TEXT,
            document_id INTEGER REFERENCES documents(id), sha256 TEXT, parse_status TEXT, parser_version TEXT,
            warnings TEXT, parsed TEXT, text TEXT)""",
        """CREATE TABLE IF NOT EXISTS report_values (
            id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id), key TEXT NOT NULL,
            section TEXT, "row" TEXT, "column" TEXT, number NUMERIC, state TEXT, raw TEXT, unit TEXT,
            UNIQUE (report_id, key))""",
        """CREATE TABLE IF NOT EXISTS findings (
            id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, rule TEXT NOT NULL, severity TEXT NOT NULL,
            county_code TEXT, agency TEXT, year INTEGER, report_id INTEGER REFERENCES reports(id), keys TEXT,
            expected TEXT, found TEXT, message TEXT, url TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
            resolved_at TEXT)""",
        """CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY, finding_id INTEGER REFERENCES findings(id), kind TEXT NOT NULL,
            recipient TEXT, subject_key TEXT, status TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL,
            sent_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, payload TEXT)""",
        """CREATE TABLE IF NOT EXISTS crawl_runs (
            id INTEGER PRIMARY KEY, county_code TEXT, started_at TEXT NOT NULL, finished_at TEXT, status TEXT,
            pages INTEGER, reports_found INTEGER, new INTEGER, changed INTEGER, unchanged INTEGER,
            errors INTEGER, blocked INTEGER, message TEXT)""",
    ]
    for statement in statements:
        db.execute(statement)


@migration(2)
def labels_versions_and_jobs(db: Database) -> None:
    """Chinese labels on every cell, a content hash per report version, and the scheduler's job_runs."""
    if _add_column(db, "report_values", "row_label", "TEXT"):
        _add_column(db, "report_values", "column_label", "TEXT")
        for key, in db.execute("SELECT DISTINCT key FROM report_values").fetchall():
            info = key_info(key)
            if info:
                db.execute("UPDATE report_values SET row_label = ?, column_label = ? WHERE key = ?",
                           [info.row_label, info.column_label, key])
    if _add_column(db, "reports", "content_hash", "TEXT"):
        rows = db.execute("SELECT id, parsed FROM reports").fetchall()
        for report_id, parsed in rows:
            if parsed:
                db.execute("UPDATE reports SET content_hash = ? WHERE id = ?",
                           [content_hash(json.loads(parsed)), report_id])
    db.execute(
        """CREATE TABLE IF NOT EXISTS job_runs (
            id INTEGER PRIMARY KEY, job TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
            outcome TEXT, counts TEXT, error TEXT)"""
    )


@migration(3)
def report_search(db: Database) -> None:
    """Full-text search over report text with the trigram tokenizer, which works for Chinese."""
    db.execute(
        """CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING FTS5 (
            title, agency, text, content="reports", content_rowid="id", tokenize="trigram")"""
    )
    db.execute("""CREATE TRIGGER IF NOT EXISTS reports_fts_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_fts (rowid, title, agency, text) VALUES (new.id, new.title, new.agency, new.text);
    END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS reports_fts_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_fts (reports_fts, rowid, title, agency, text)
        VALUES ('delete', old.id, old.title, old.agency, old.text);
    END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS reports_fts_update AFTER UPDATE OF title, agency, text ON reports BEGIN
        INSERT INTO reports_fts (reports_fts, rowid, title, agency, text)
        VALUES ('delete', old.id, old.title, old.agency, old.text);
        INSERT INTO reports_fts (rowid, title, agency, text) VALUES (new.id, new.title, new.agency, new.text);
    END""")
    # Rows stored before this migration enter the index too.
    db.execute("INSERT INTO reports_fts (reports_fts) VALUES ('rebuild')")


@migration(4)
def indexes_and_views(db: Database) -> None:
    """Indexes the canned queries need, and the report_summary and coverage views."""
    # The views read the findings' dismissal columns (migration 8): a store upgraded from before needs them now.
    _finding_lifecycle_columns(db)
    for statement in views.INDEXES:
        db.execute(statement)
    for name, sql in views.VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.execute(f"CREATE VIEW {name} AS {sql}")


@migration(5)
def compact_cells(db: Database) -> None:
    """Cells keyed by (report_id, cell) in a WITHOUT ROWID table, labels named once in `cells`, the cell maps
    out of reports.parsed; `report_values` becomes a view with the same columns as the table it replaces."""
    for name in views.VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {name}")
    db.execute(
        """CREATE TABLE IF NOT EXISTS cells (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, section TEXT, "row" TEXT, "column" TEXT,
            row_label TEXT, column_label TEXT)""")
    # `number` has no declared type: an int stays an int and a float a float, exactly as the parser gave them.
    db.execute(
        """CREATE TABLE IF NOT EXISTS cell_values (
            report_id INTEGER NOT NULL REFERENCES reports(id), cell INTEGER NOT NULL REFERENCES cells(id),
            number, state INTEGER NOT NULL, raw TEXT, unit TEXT, PRIMARY KEY (report_id, cell)) WITHOUT ROWID""")
    cells.add_cells(db, cells.template_cell_keys())
    kind = db.execute("SELECT type FROM sqlite_master WHERE name = 'report_values'").fetchone()
    if kind and kind[0] == "table":
        _move_cells(db)
        db.execute("DROP TABLE report_values")
    db.execute(f"CREATE VIEW IF NOT EXISTS report_values AS {cells.REPORT_VALUES}")
    for name, sql in views.VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql}")


def _move_cells(db: Database, batch: int = 500) -> None:
    """Every report's cells from its parsed JSON (exact: which maps a key was in) into cell_values."""
    ids = cells.CellIds(db)
    last = 0
    while True:
        rows = db.execute("SELECT id, parsed FROM reports WHERE id > ? AND parsed IS NOT NULL ORDER BY id LIMIT ?",
                          [last, batch]).fetchall()
        if not rows:
            break
        for report_id, text in rows:
            parsed = json.loads(text)
            db.conn.executemany("INSERT OR IGNORE INTO cell_values VALUES (?, ?, ?, ?, ?, ?)",
                                cells.cell_rows(report_id, parsed, ids))
            db.execute("UPDATE reports SET parsed = ? WHERE id = ?", [cells.compact_json(parsed), report_id])
        last = rows[-1][0]
    # Cells of reports without parsed JSON (none are written so) come over from the old rows as they are.
    cells.add_cells(db, [key for key, in db.execute(
        "SELECT DISTINCT v.key FROM report_values v JOIN reports r ON r.id = v.report_id WHERE r.parsed IS NULL")])
    codes = " ".join(f"WHEN '{state}' THEN {code}" for code, state in enumerate(cells.STATES))
    db.execute(
        f"""INSERT OR IGNORE INTO cell_values (report_id, cell, number, state, raw, unit)
            SELECT v.report_id, c.id, v.number, CASE v.state {codes} ELSE {cells.NO_STATE} END, v.raw, v.unit
            FROM report_values v JOIN reports r ON r.id = v.report_id JOIN cells c ON c.key = v.key
            WHERE r.parsed IS NULL""")


@migration(6)
def coverage_summary(db: Database) -> None:
    """Counts per county, year and status for the dashboard chart, filled from the coverage view."""
    db.execute(views.COVERAGE_SUMMARY_TABLE)
    db.execute("DELETE FROM coverage_summary")
    db.execute("""INSERT INTO coverage_summary (county_code, year, status, count)
                  SELECT county_code, year, status, count(*) FROM coverage WHERE year IS NOT NULL
                  GROUP BY county_code, year, status""")


@migration(7)
def alert_claims(db: Database) -> None:
    """Alerts claimed by one sender before sending (status 'sending'), so two senders never send one alert."""
    _add_column(db, "alerts", "claimed_by", "TEXT")
    _add_column(db, "alerts", "claimed_at", "TEXT")


@migration(8)
def portal_directory(db: Database) -> None:
    """Agencies the county portal lists (部门信息公开), and each crawl's coverage of their sub-sites."""
    _add_column(db, "agencies", "listed_on_portal", "INTEGER NOT NULL DEFAULT 0")
    _add_column(db, "agencies", "portal_url", "TEXT")
    _add_column(db, "agencies", "listed_seen", "TEXT")
    for column in ("departments_listed", "subsites_visited", "report_columns"):
        _add_column(db, "crawl_runs", column, "INTEGER")
    _add_column(db, "crawl_runs", "without_column", "TEXT")


@migration(9)
def report_identity_sources(db: Database) -> None:
    """Where each report's agency and year were read and how sure the parser was (NULL for older reports)."""
    for column, declaration in (("agency_source", "TEXT"), ("agency_confidence", "REAL"),
                                ("year_source", "TEXT"), ("year_confidence", "REAL")):
        _add_column(db, "reports", column, declaration)


@migration(10)
def reader_names(db: Database) -> None:
    """Rule names in Chinese (`rules`) and `problems`, the findings as a reader opens them (db/reader_views.py)."""
    db.execute(reader_views.RULES_TABLE)
    reader_views.refresh_rule_names(db)
    db.execute("DROP VIEW IF EXISTS problems")
    db.execute(f"CREATE VIEW problems AS {reader_views.PROBLEMS}")


@migration(11)
def national_places(db: Database) -> None:
    """Official division names (`divisions`) and the county → city → province views the rankings read."""
    places.load_divisions(db)
    for name, sql in places.VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.execute(f"CREATE VIEW {name} AS {sql}")


@migration(12)
def chinese_search(db: Database) -> None:
    """reports_chars: full-text search by Chinese character, so one- and two-character words are found
    (db/search.py; the connection has nianbao_chars registered by Store.open)."""
    search.register_functions(db.conn)
    search.create_index(db.conn)


@migration(13)
def retirements_and_dismissals(db: Database) -> None:
    """Agencies retired by a person (no report owed from a year on), findings dismissed by a person (who, when,
    why, and the report version they judged), and notes on findings."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS agency_retirements (
            id INTEGER PRIMARY KEY, county_code TEXT NOT NULL, agency TEXT NOT NULL, since_year INTEGER NOT NULL,
            reason TEXT NOT NULL, retired_by TEXT NOT NULL, retired_at TEXT NOT NULL)""")
    _finding_lifecycle_columns(db)
    db.execute(
        """CREATE TABLE IF NOT EXISTS finding_notes (
            id INTEGER PRIMARY KEY, finding_id INTEGER NOT NULL REFERENCES findings(id), event TEXT NOT NULL,
            author TEXT, text TEXT, created_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX IF NOT EXISTS finding_notes_finding ON finding_notes (finding_id)")
    # The views leave dismissed findings out (not open, not late, not missing).
    for name in views.VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {name}")
    for name, sql in views.VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql}")
    db.execute("DELETE FROM coverage_summary")
    db.execute("""INSERT INTO coverage_summary (county_code, year, status, count)
                  SELECT county_code, year, status, count(*) FROM coverage WHERE year IS NOT NULL
                  GROUP BY county_code, year, status""")


def _finding_lifecycle_columns(db: Database) -> None:
    """A finding's dismissal (who, when, why, the report version judged) and, once reopened, the alert after which
    it is announced again."""
    for column in ("dismissed_at", "dismissed_by", "dismissed_reason"):
        _add_column(db, "findings", column, "TEXT")
    _add_column(db, "findings", "dismissed_report_id", "INTEGER")
    _add_column(db, "findings", "announce_after_alert", "INTEGER")
