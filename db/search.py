"""Full-text search that works in Chinese: `reports_chars`, an FTS5 index over the reports' title, agency and text
with every Chinese character a token of its own (the unicode61 tokenizer over text with spaces put between Chinese
characters), so one- and two-character words (人, 复议, 新收) are found; a query is matched as phrases, character
after character. The trigram index `reports_fts` (three characters at least) stays for substring matching.

The triggers that keep the index call the SQL function nianbao_chars: every connection that writes reports
(Store.open) registers it with register_functions."""

from __future__ import annotations

import re
import sqlite3

_CHINESE_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_TERM = re.compile(r'"([^"]*)"|(\S+)')

CHARS_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS reports_chars USING FTS5 (
    title, agency, text, content='', tokenize='unicode61 remove_diacritics 2')"""
TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS reports_chars_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_chars (rowid, title, agency, text)
        VALUES (new.id, nianbao_chars(new.title), nianbao_chars(new.agency), nianbao_chars(new.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS reports_chars_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_chars (reports_chars, rowid, title, agency, text)
        VALUES ('delete', old.id, nianbao_chars(old.title), nianbao_chars(old.agency), nianbao_chars(old.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS reports_chars_update AFTER UPDATE OF title, agency, text ON reports BEGIN
        INSERT INTO reports_chars (reports_chars, rowid, title, agency, text)
        VALUES ('delete', old.id, nianbao_chars(old.title), nianbao_chars(old.agency), nianbao_chars(old.text));
        INSERT INTO reports_chars (rowid, title, agency, text)
        VALUES (new.id, nianbao_chars(new.title), nianbao_chars(new.agency), nianbao_chars(new.text));
    END""",
)


def spaced(text: str | None) -> str | None:
    """The text with a space on each side of every Chinese character (what reports_chars indexes)."""
    if text is None:
        return None
    # One substitution per run of Chinese characters, not per character: 7× faster on a report's text, which
    # made this function most of the cost of storing a report. The tokens are the same as before, so rows
    # indexed by the older form are still deleted exactly by the triggers.
    return _CHINESE_RUN.sub(_space_run, text)


def _space_run(match: re.Match[str]) -> str:
    return " " + " ".join(match.group()) + " "


def fts_query(query: str | None) -> str:
    """An FTS5 query for what a reader typed: each word (or "quoted phrase") a phrase of its characters, all
    required. 复议 → "复 议"; 人社 复议 → "人 社" "复 议". Never an FTS5 syntax error."""
    phrases = []
    for quoted, word in _TERM.findall(query or ""):
        term = (quoted or word).replace('"', "")
        tokens = (spaced(term) or "").split()
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"')
    return " ".join(phrases) or '""'


def register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("nianbao_chars", 1, spaced, deterministic=True)


def create_index(connection: sqlite3.Connection, batch: int = 500) -> None:
    """The index, its triggers, and every report stored before them."""
    connection.execute(CHARS_TABLE)
    for trigger in TRIGGERS:
        connection.execute(trigger)
    last = 0
    while True:
        rows = connection.execute("SELECT id, title, agency, text FROM reports WHERE id > ? ORDER BY id LIMIT ?",
                                  [last, batch]).fetchall()
        if not rows:
            return
        connection.executemany("INSERT INTO reports_chars (rowid, title, agency, text) VALUES (?, ?, ?, ?)",
                               [(report_id, spaced(title), spaced(agency), spaced(text))
                                for report_id, title, agency, text in rows])
        last = rows[-1][0]
