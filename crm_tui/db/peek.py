"""Reading a database without changing it, to know what it holds before anything is written
over it: no migration, no change of journal mode, no side files where there were none.

The file readers (`file_settings`, `applied_migrations`) are SQLite's own: they open the file
itself. A PostgreSQL database is read by `server_settings` (a read-only session); callers
choose through `database_settings`; `applied_migrations` reads either."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

from crm_tui.db import cipher
from crm_tui.db.errors import DatabaseError
from crm_tui.db.models import Setting

# Every crm-tui database has the migration runner's table, whatever its schema version.
MIGRATIONS_TABLE = "schema_migration"


class NotCrmDatabase(DatabaseError):
    """The file holds something other than a crm-tui database."""


class DamagedDatabase(NotCrmDatabase):
    """The file is damaged, or no database at all: neither SQLite nor SQLCipher reads it."""


class UnopenedDatabase(NotCrmDatabase):
    """The file is encrypted, and its key is not to be had here (or does not open it)."""



def unread() -> tuple[type[Exception], ...]:
    """What reading a database file may raise: SQLite's errors, or a key problem."""
    return (DatabaseError, *cipher.errors())


def _unread(path: Path, exc: Exception) -> NotCrmDatabase:
    """What a database file that could not be read is, in words."""
    if isinstance(exc, DatabaseError):  # encrypted, and its key is not to be had here
        return UnopenedDatabase(f"{path}: {exc}")
    if cipher.damaged(exc):
        return DamagedDatabase(cipher.damaged_message(path, exc))
    return NotCrmDatabase(f"{path} is not a crm-tui database ({exc})")


def file_settings(path: Path) -> dict[str, str] | None:
    """The settings of the crm-tui database file at `path` (empty for a database without
    marks); None when there is nothing there to lose: no file, an empty file, or an SQLite
    database without tables. NotCrmDatabase when the file is anything else."""
    path = path.expanduser()
    wal = Path(f"{path}-wal")
    if not path.exists() and not wal.exists():
        return None
    if not path.exists():
        raise NotCrmDatabase(f"{wal} is there without its database")
    if not path.is_file():
        raise NotCrmDatabase(f"{path} is not a file")
    # With no write-ahead log beside it the file is all there is: read it as immutable, so
    # that SQLite makes no -wal or -shm file. With one (the database is open elsewhere, or was
    # not closed cleanly) read through it, still read-only.
    mode = "ro" if wal.exists() else "ro&immutable=1"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    table = Setting._meta.table_name
    try:
        with closing(cipher.connect(path, uri=uri)) as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return None
            if MIGRATIONS_TABLE not in tables:
                raise NotCrmDatabase(f"{path} holds a database that is not crm-tui's")
            if table not in tables:
                return {}
            rows = connection.execute(f'SELECT "key", "value" FROM "{table}"').fetchall()
            bound = _people_bound(connection)
    except NotCrmDatabase:
        raise
    except unread() as exc:
        raise _unread(path, exc) from exc
    marks = {str(key): str(value) for key, value in rows}
    if bound:
        # Real people work in it: whatever a settings row says (any member of the team could
        # have typed one in), it is neither a demo nor made for benchmarks.
        marks = {k: v for k, v in marks.items() if k not in SYNTHETIC_MARKS}
    return marks


SYNTHETIC_MARKS = ("demo_acting_user", "benchmark_data")


def _people_bound(connection: Any) -> bool:
    columns = {row[1] for row in connection.execute('PRAGMA table_info("user")')}
    if "os_account" not in columns:
        return False
    return bool(connection.execute(
        'SELECT EXISTS (SELECT 1 FROM "user" WHERE os_account IS NOT NULL)').fetchone()[0])


def applied_migrations(path: Path | str) -> set[str]:
    """The schema migrations applied to the crm-tui database at `path` (a file, or a
    PostgreSQL database's URL), read without changing it (the caller has checked, with
    database_settings, that it is one)."""
    if is_server(path):
        return _server_migrations(str(path))
    path = Path(path).expanduser()
    mode = "ro" if Path(f"{path}-wal").exists() else "ro&immutable=1"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        with closing(cipher.connect(path, uri=uri)) as connection:
            rows = connection.execute(f'SELECT name FROM "{MIGRATIONS_TABLE}"').fetchall()
    except unread() as exc:
        raise _unread(path, exc) from exc
    return {str(row[0]) for row in rows}


def is_server(target: str | Path) -> bool:
    """Whether `target` names a PostgreSQL database (a URL) rather than an SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def server_settings(url: str) -> dict[str, str] | None:
    """`file_settings` for a PostgreSQL database: its settings, read in a read-only session
    without migrating it; None when its schema holds no table (a database just created, with
    nothing to lose). NotCrmDatabase when it holds another program's tables; DatabaseError
    when it cannot be reached."""
    import psycopg2  # type: ignore[import-untyped]

    from crm_tui.db.connection import shown

    table = Setting._meta.table_name
    try:
        with closing(psycopg2.connect(url)) as connection:
            connection.set_session(readonly=True, autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT table_name FROM information_schema.tables WHERE "
                               "table_schema = current_schema() AND table_type = 'BASE TABLE'")
                tables = {str(row[0]) for row in cursor.fetchall()}
                if not tables:
                    return None
                if MIGRATIONS_TABLE not in tables:
                    raise NotCrmDatabase(f"{shown(url)} holds a database that is not crm-tui's")
                if table not in tables:
                    return {}
                cursor.execute(f'SELECT "key", "value" FROM "{table}"')
                rows = cursor.fetchall()
                cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_schema "
                               "= current_schema() AND table_name = 'user' AND column_name = "
                               "'os_account'")
                bound = cursor.fetchone() is not None
                if bound:
                    cursor.execute('SELECT EXISTS (SELECT 1 FROM "user" WHERE os_account IS '
                                   "NOT NULL)")
                    bound = bool(cursor.fetchone()[0])
    except psycopg2.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise DatabaseError(f"cannot read the database at {shown(url)}: "
                            f"{'; '.join(lines) or type(exc).__name__}") from exc
    marks = {str(key): str(value) for key, value in rows}
    if bound:
        marks = {k: v for k, v in marks.items() if k not in SYNTHETIC_MARKS}
    return marks


def _server_migrations(url: str) -> set[str]:
    import psycopg2

    from crm_tui.db.connection import shown

    try:
        with closing(psycopg2.connect(url)) as connection:
            connection.set_session(readonly=True, autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT name FROM "{MIGRATIONS_TABLE}"')
                return {str(row[0]) for row in cursor.fetchall()}
    except psycopg2.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise DatabaseError(f"cannot read the database at {shown(url)}: "
                            f"{'; '.join(lines) or type(exc).__name__}") from exc


def empty_server_database(db: Any) -> None:
    """Drop every table of the PostgreSQL database `db` is connected to (its schema's), so
    that the migrations make it again: the demo's build, on a database the guard found to be
    a demo (or empty). Its functions are made again by the migrations (CREATE OR REPLACE)."""
    tables = [str(row[0]) for row in db.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = "
        "current_schema() AND table_type = 'BASE TABLE'")]
    if tables:
        with db.atomic():
            db.execute_sql("DROP TABLE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


def database_settings(target: str | Path) -> dict[str, str] | None:
    """`file_settings` of an SQLite file, or `server_settings` of a PostgreSQL database."""
    if is_server(target):
        return server_settings(str(target))
    return file_settings(Path(target))
