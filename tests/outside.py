"""Another program's connection to the test's database, to change it behind the app's back
(tampering, a colleague's edit): SQLite's own connection to the file, or on PostgreSQL a
connection of its own to the server database the app has open, taking the same SQL (its `?`
marks turned into the driver's) and committing in the same places.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import database_proxy


class _OnServer:
    """The part of sqlite3.Connection the tests use."""

    def __init__(self, foreign_keys: bool = True) -> None:
        self._connection: Any = database_proxy.obj._connect()
        self._connection.autocommit = False
        if not foreign_keys:
            # As SQLite's own connection, which checks no foreign key unless asked: the
            # server's replica mode fires no trigger, foreign keys' included (a superuser's).
            self.execute("SET session_replication_role = replica")
            self.commit()

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        cursor = self._connection.cursor()
        cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(parameters))
        return cursor

    def commit(self) -> None:
        self._connection.commit()

    def rollback(self) -> None:
        self._connection.rollback()

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> _OnServer:
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()


def connect(path: str | Path, foreign_keys: bool = True, **options: Any) -> Any:
    """sqlite3.connect(path) on SQLite; on PostgreSQL (the path is then the unused SQLite
    file's), a connection to the server database bound now. `foreign_keys=False`: on the
    server too, rows others point to can be deleted, as SQLite's own connection lets anyone
    (it checks no foreign key unless told to)."""
    if is_sqlite():
        return sqlite3.connect(path, **options)
    return _OnServer(foreign_keys)


def target(path: str | Path) -> str:
    """What `--db` names for the test's database: the SQLite file's path, or on PostgreSQL
    the server database bound now (its URL)."""
    if is_sqlite():
        return str(path)
    db: Any = database_proxy.obj
    params = db.connect_params
    login = params.get("user", "")
    where = f"{params.get('host', '')}:{params['port']}" if params.get("port") \
        else params.get("host", "")
    return f"postgresql://{login}@{where}/{db.database}" if login \
        else f"postgresql://{where}/{db.database}"


class _Holder:
    """Another person's save, holding the database's one write lock until it ends."""

    def __init__(self, connection: Any, sqlite: bool) -> None:
        self._connection = connection
        self._sqlite = sqlite

    def end(self, commit: bool = False) -> None:
        if self._sqlite:
            self._connection.execute("COMMIT" if commit else "ROLLBACK")
        elif commit:
            self._connection.commit()
        else:
            self._connection.rollback()
        self._connection.close()


def hold_write_lock(path: str | Path) -> _Holder:
    """Take the write lock the app's writers take, from a connection of its own: SQLite's
    BEGIN IMMEDIATE on the file; on PostgreSQL the advisory lock every write transaction
    takes first (db.postgres.take_write_lock), held until `end()`."""
    if is_sqlite():
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        return _Holder(connection, sqlite=True)
    from crm_tui.db.postgres import WRITE_LOCK

    server = _OnServer()
    server.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
    return _Holder(server, sqlite=False)


def write_lock_is_free(path: str | Path) -> bool:
    """Could another person save now? (Takes the write lock for a moment, if it is free.)"""
    if is_sqlite():
        probe = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()
    from crm_tui.db.postgres import WRITE_LOCK

    server = _OnServer()
    try:
        return bool(server.execute("SELECT pg_try_advisory_xact_lock(?)",
                                   (WRITE_LOCK,)).fetchone()[0])
    finally:
        server.rollback()
        server.close()
