"""Reading the database as last committed while this thread's write transaction is open.

Before a save seals a case's records into the audit trail, the records as the last save left
them must be checked against that save's seal: an edit made in the database meanwhile would
otherwise be sealed over. Inside the write transaction its own connection sees its own
uncommitted writes, so the committed state is read through a second connection to the same
file, opened the way the database opens every connection (SQLCipher's key first, then the
pragmas). In WAL mode (the app's) a reader never waits for the writer and sees what was last
committed; nobody else can commit meanwhile, since this transaction holds the write lock.
On PostgreSQL the second connection is to the same server database, in the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def _file_backed(db: Database) -> bool:
    name = str(db.database or "")
    return (isinstance(db, SqliteDatabase) and name not in ("", ":memory:")
            and "mode=memory" not in name)


def _second_view(db: Database) -> Any:
    """A second, read-only connection to the same database."""
    second: Any = db._connect()  # type: ignore[attr-defined]
    if isinstance(db, PostgresqlDatabase):
        # Each query sees the last commit (READ COMMITTED); the write lock this transaction
        # holds keeps the app's other writers out meanwhile, as SQLite's does.
        second.autocommit = True
        with second.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
    else:
        second.execute("PRAGMA query_only = 1")
    return second


@contextmanager
def committed_view(db: Database) -> Iterator[bool]:
    """While the block runs, this thread's queries on `db` read the database as last
    committed (a second, read-only connection stands in for the thread's own). Yields False,
    and changes nothing, when there is no second view to be had (not a file, or no write
    transaction open on this thread): the caller then cannot check."""
    on_server = isinstance(db, PostgresqlDatabase)
    if not (_file_backed(db) or on_server) or not db.in_transaction():
        yield False
        return
    second = _second_view(db)
    try:
        state = db._state  # type: ignore[attr-defined]
        own = state.conn
        state.conn = second
        try:
            yield True
        finally:
            state.conn = own
    finally:
        second.close()
