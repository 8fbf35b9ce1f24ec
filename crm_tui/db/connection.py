"""The database factory. SQLite's own dialect lives in `sqlite.py`.

`open_database` takes a path or a URL and returns an open, migrated database bound to the
models. Nothing is opened at import time, so tests and benchmarks choose their own file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner

from crm_tui.db import cipher
from crm_tui.db.errors import DatabaseError
from crm_tui.db.models import database_proxy
from crm_tui.db.sqlite import BUSY_TIMEOUT_SECONDS, pragmas
from crm_tui.private_files import secure_file, secure_folder

MIGRATIONS = Path(__file__).parent / "migrations"

__all__ = ["DatabaseError", "is_sqlite", "open_database", "schema_version", "upgrade"]


def _secure_file(path: Path) -> None:
    # Case files hold personal data: the folder and the file are the user's alone, or the
    # configured team group's as well.
    secure_folder(path.parent)
    if not path.exists():
        path.touch(mode=0o600)
    secure_file(path)


class EncryptedDatabase(SqliteDatabase):
    """An SQLCipher database file: SQLite's dialect, every connection keyed before anything
    else is said to it (peewee's pragmas come after the key)."""

    def __init__(self, database: str, raw_key: bytes, timeout: float, **kwargs: Any) -> None:
        self._raw_key = raw_key
        self._wait = timeout
        super().__init__(database, timeout=timeout, **kwargs)

    @property
    def raw_key(self) -> bytes:
        return self._raw_key

    def _connect(self) -> Any:
        connection = cipher.connect(Path(self.database), encrypted=True,
                                    raw_key=self._raw_key, timeout=self._wait,
                                    isolation_level=None, **self.connect_params)
        try:
            self._add_conn_hooks(connection)  # type: ignore[attr-defined]
        except Exception:
            connection.close()
            raise
        return connection


def _file_database(path: Path, options: dict[str, Any], busy_timeout: float) -> Database:
    if cipher.wanted(path):
        cipher.require_available()
        raw = cipher.key(create=cipher.is_new(path))
        _secure_file(path)
        return EncryptedDatabase(str(path), raw, pragmas=options, timeout=busy_timeout)
    _secure_file(path)
    return SqliteDatabase(str(path), pragmas=options, timeout=busy_timeout)


def _connect(target: str | Path, busy_timeout: float) -> Database:
    text = str(target)
    options = pragmas(busy_timeout)
    if "://" not in text:
        return _file_database(Path(text).expanduser(), options, busy_timeout)
    if text.startswith("sqlite:///"):
        return _file_database(Path(text.removeprefix("sqlite:///")), options, busy_timeout)
    database: Database = connect(text)
    return database


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def migration_runner(db: Database) -> Runner:
    return Runner(db, str(MIGRATIONS))


def upgrade(db: Database) -> list[str]:
    """Apply pending migrations; refuse a database written by a newer version of the app."""
    runner = migration_runner(db)
    known = {m.name for m in runner.migrations()}
    unknown = sorted(set(runner.applied()) - known)
    if unknown:
        raise DatabaseError(
            f"this database was written by a newer version of crm-tui (schema {unknown[-1]}); "
            "upgrade crm-tui to open it")
    applied: list[str] = runner.up()
    return applied


# SQL functions the services lend every database opened (name: the function, its arity): a
# rule SQLite cannot count by itself, such as a deadline in working days.
_LENT: dict[str, tuple[Callable[..., Any], int]] = {}


def lend_function(name: str, function: Callable[..., Any], arity: int) -> None:
    """Make `function` callable as `name` in SQL on every database open_database opens, and
    on the one bound now."""
    _LENT[name] = (function, arity)
    bound = database_proxy.obj
    if isinstance(bound, SqliteDatabase):
        bound.register_function(function, name, arity)


def open_database(target: str | Path, *, migrate: bool = True,
                  busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database:
    """Open the database at a path or URL, bind the models to it and bring its schema up to
    date. A writer waits up to `busy_timeout` seconds for another person's write to end."""
    try:
        db = _connect(target, busy_timeout)
        if isinstance(db, SqliteDatabase):
            for name, (function, arity) in _LENT.items():
                db.register_function(function, name, arity)
        db.connect(reuse_if_open=True)
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"cannot open the database at {target}: {exc}") from exc
    previous = database_proxy.obj
    if previous is not None and previous is not db and not previous.in_transaction():
        # This thread's connection to the database bound before is not left open behind
        # the new one (an open connection keeps a file "in use" for encryption or restore).
        with contextlib.suppress(Exception):
            previous.close()
    database_proxy.initialize(db)
    if migrate:
        try:
            upgrade(db)
        except DatabaseError:
            raise
        except Exception as exc:
            raise DatabaseError(f"cannot open the database at {target}: {exc}") from exc
    return db


def schema_version(db: Database) -> str:
    applied = migration_runner(db).applied()
    return max(applied) if applied else "none"
