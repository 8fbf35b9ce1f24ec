"""The database factory. SQLite's own dialect lives in `sqlite.py`.

`open_database` takes a path or a URL and returns an open, migrated database bound to the
models. Nothing is opened at import time, so tests and benchmarks choose their own file.
"""

from __future__ import annotations

from pathlib import Path

from peewee import Database, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner

from crm_tui.db.models import database_proxy
from crm_tui.db.sqlite import BUSY_TIMEOUT_SECONDS, pragmas
from crm_tui.private_files import secure_file, secure_folder

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """The database could not be opened or upgraded; the message says why."""


def _secure_file(path: Path) -> None:
    # Case files hold personal data: the folder and the file are the user's alone, or the
    # configured team group's as well.
    secure_folder(path.parent)
    if not path.exists():
        path.touch(mode=0o600)
    secure_file(path)


def _connect(target: str | Path, busy_timeout: float) -> Database:
    text = str(target)
    options = pragmas(busy_timeout)
    if "://" not in text:
        path = Path(text).expanduser()
        _secure_file(path)
        return SqliteDatabase(str(path), pragmas=options, timeout=busy_timeout)
    if text.startswith("sqlite:///"):
        _secure_file(Path(text.removeprefix("sqlite:///")))
        database: Database = connect(text, pragmas=options, timeout=busy_timeout)
    else:
        database = connect(text)
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


def open_database(target: str | Path, *, migrate: bool = True,
                  busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database:
    """Open the database at a path or URL, bind the models to it and bring its schema up to
    date. A writer waits up to `busy_timeout` seconds for another person's write to end."""
    try:
        db = _connect(target, busy_timeout)
        db.connect(reuse_if_open=True)
    except Exception as exc:
        raise DatabaseError(f"cannot open the database at {target}: {exc}") from exc
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
