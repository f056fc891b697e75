"""Write transactions that take SQLite's write lock at BEGIN, so concurrent writers wait instead of failing."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlite_utils import Database

from db.sqlite_errors import sqlite_words
from nianbao.errors import DatabaseError


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row the cursor's INSERT just wrote."""
    if cursor.lastrowid is None:  # SQLite sets it after every INSERT that wrote a row
        raise sqlite3.ProgrammingError("no row was inserted")
    return cursor.lastrowid


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error (a savepoint when a transaction is already open).

    A deferred BEGIN that reads and then writes fails at once with "database is locked" when another
    connection (crawler, checks, scheduler) committed in between; IMMEDIATE waits up to busy_timeout.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"nianbao_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class DocumentTransaction:
    """One document, one transaction: on any error everything of that document is rolled back."""

    def __init__(self, store: Any, url: str) -> None:
        self.store = store
        self.url = url
        self._atomic: Any = None

    def __enter__(self) -> None:
        self.store._pending_counties.clear()
        self._atomic = immediate(self.store.db)
        self._atomic.__enter__()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> Literal[False]:
        try:
            self._atomic.__exit__(exc_type, exc, tb)
        except sqlite3.Error as error:
            if exc is None:  # the COMMIT itself failed: nothing of this document is stored
                self.store._pending_counties.clear()
                raise DatabaseError(f"{self.url}: 未保存，数据库拒绝写入（{sqlite_words(error)}）") from error
            if error is not exc:
                raise
        if exc is None:
            self.store._known_counties |= self.store._pending_counties
            self.store._changed = True
        self.store._pending_counties.clear()
        if isinstance(exc, sqlite3.Error):
            raise DatabaseError(f"{self.url}: 未保存，数据库拒绝写入（{sqlite_words(exc)}）") from exc
        return False
