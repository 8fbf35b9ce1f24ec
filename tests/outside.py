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

    def __init__(self) -> None:
        self._connection: Any = database_proxy.obj._connect()
        self._connection.autocommit = False

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


def connect(path: str | Path, **options: Any) -> Any:
    """sqlite3.connect(path) on SQLite; on PostgreSQL (the path is then the unused SQLite
    file's), a connection to the server database bound now."""
    if is_sqlite():
        return sqlite3.connect(path, **options)
    return _OnServer()


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
