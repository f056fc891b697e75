"""Write transactions that take SQLite's write lock at BEGIN, so concurrent writers wait instead of failing."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


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
