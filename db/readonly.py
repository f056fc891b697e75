"""A store opened read-only by the path of its file: by a check's worker processes, and by Datasette."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database


def file_uri(path: Path | str, query: str = "mode=ro") -> str:
    """The SQLite URI of a database file; as_uri() escapes what a URI cannot hold as is (a "#" or "?" in a folder
    name, Chinese folder names)."""
    uri = Path(path).resolve().as_uri()
    return f"{uri}?{query}" if query else uri


@contextmanager
def read_only(path: Path) -> Iterator[Database]:
    """The store at path, read-only, for the length of the block."""
    connection = sqlite3.connect(file_uri(path), uri=True)
    try:
        yield Database(connection)
    finally:
        connection.close()


def database_file(db: Database) -> Path | None:
    """The file of a store's main database, or None for an in-memory one."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def on_read_only_file_system(path: Path) -> bool:
    """True when the folder holding the store cannot be written (a read-only mount, a snapshot, a CD)."""
    folder = Path(path).resolve().parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def frozen(path: Path) -> sqlite3.Connection:
    """A connection to a store on a read-only file system: immutable=1, since SQLite cannot make the WAL's
    shared-memory file there (mode=ro alone fails with "unable to open database file")."""
    return sqlite3.connect(file_uri(path, "immutable=1"), uri=True, check_same_thread=False)
