"""The database factory. SQLite's own dialect lives in `sqlite.py`, PostgreSQL's in
`postgres.py`, and `dialect.py` chooses between them.

`open_database` takes a path or a URL and returns an open, migrated database bound to the
models. Nothing is opened at import time, so tests and benchmarks choose their own file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, SqliteDatabase

from crm_tui.db import cipher, drivers
from crm_tui.db.errors import DatabaseError
from crm_tui.db.models import database_proxy
from crm_tui.db.sqlite import BUSY_TIMEOUT_SECONDS, pragmas
from crm_tui.domain.typed_dates import quoted
from crm_tui.private_files import secure_file, secure_folder

if TYPE_CHECKING:  # loaded when a migration is to be applied, not at every start
    from playhouse.migrations import Runner

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


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def shown(target: str | Path) -> str:
    """The path or URL as said to a user: a URL's password is never shown."""
    text = str(target)
    if "://" not in text:
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _server_database(text: str, busy_timeout: float) -> Database:
    """A PostgreSQL database named by its URL. A writer waits up to the busy timeout for a
    lock another person's write holds (lock_timeout), as on SQLite.

    The server compiles no query to machine code (jit off): its estimate of a query calling
    the deadline function for each case (the calendar's comment period, 5,000 restrictions)
    passed the cost at which PostgreSQL compiles, and compiling took 5 to 7 seconds of a
    query that then ran in 9 ms; the app's queries are each a screen's few rows, never the
    long reports JIT pays for."""
    from playhouse.db_url import parse  # with every driver peewee knows: only for a server

    drivers.server_driver()
    options = parse(text, unquote_password=True, unquote_user=True)
    if not options.get("database"):
        raise DatabaseError(f"the address {shown(text)} names no database "
                            "(postgresql://host/dbname)")
    wait = f"-c lock_timeout={int(busy_timeout * 1000)} -c jit=off"
    options["options"] = f"{options['options']} {wait}" if options.get("options") else wait
    database = options.pop("database")
    from crm_tui.db.server_connections import ServerDatabase

    return ServerDatabase(database, autoconnect=True, **options)


def _connect(target: str | Path, busy_timeout: float) -> Database:
    text = str(target)
    options = pragmas(busy_timeout)
    if "://" not in text:
        return _file_database(Path(text).expanduser(), options, busy_timeout)
    if text.startswith("sqlite:///"):
        return _file_database(Path(text.removeprefix("sqlite:///")), options, busy_timeout)
    if text.startswith(POSTGRES_SCHEMES):
        return _server_database(text, busy_timeout)
    scheme = text.split("://", 1)[0]
    if not scheme.startswith("sqlite"):
        raise DatabaseError(f"cannot open the database at {shown(text)}: crm-tui opens "
                            f"SQLite files and PostgreSQL databases, not {quoted(scheme)} ones")
    from playhouse.db_url import connect

    database: Database = connect(text)
    return database


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def migration_runner(db: Database) -> Runner:
    from playhouse.migrations import Runner

    return Runner(db, str(MIGRATIONS))


def known_migrations() -> set[str]:
    """The migrations this version of the app has, by name (as the runner names them: the
    files `NNNN_what.py`), read from the folder without loading the runner."""
    return {path.stem for path in MIGRATIONS.glob("[0-9]*.py")}


HISTORY = "schema_migration"  # the runner's table of the migrations applied


def applied_migrations(db: Database) -> set[str]:
    """The migrations applied to `db`, by name: what the runner's history holds."""
    if not db.table_exists(HISTORY):
        return set()
    rows = db.execute_sql(f'SELECT "name" FROM "{HISTORY}"')  # type: ignore[no-untyped-call]
    return {str(name) for (name,) in rows}


def upgrade(db: Database) -> list[str]:
    """Apply pending migrations; refuse a database written by a newer version of the app.
    A database up to date is known by its history alone (two statements): the migrations'
    runner and peewee's schema tools load only when there is something to apply (issue 17:
    they cost every start some 5 ms, with argparse and pickle)."""
    known = known_migrations()
    done = applied_migrations(db)  # read once: each read is a query at every start
    unknown = sorted(done - known)
    if unknown:
        raise DatabaseError(
            f"this database was written by a newer version of crm-tui (schema {unknown[-1]}); "
            "upgrade crm-tui to open it")
    if known <= done:
        # Nothing to apply, nothing said: a server login that may not change the tables'
        # structure (server_roles) opens a database its owner keeps up to date.
        return []
    runner = migration_runner(db)
    try:
        applied: list[str] = runner.up()
    except Exception as exc:
        causes = (exc, exc.__cause__, exc.__context__, *exc.args[:1])
        if any(getattr(cause, "pgcode", None) == "42501" for cause in causes):
            raise DatabaseError(
                "this database's tables are older than this crm-tui, and this login may not "
                "change them: the database's owner brings them up to date (crm-tui "
                "server-setup --db URL, as the owner)") from exc
        raise
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
        raise DatabaseError(f"cannot open the database at {shown(target)}: "
                            f"{_reason(exc)}") from exc
    previous = database_proxy.obj
    if previous is not None and previous is not db and not previous.in_transaction():
        # This thread's connection to the database bound before is not left open behind
        # the new one (an open connection keeps a file "in use" for encryption or restore).
        with contextlib.suppress(Exception):
            previous.close()
        close_idle = getattr(previous, "close_idle", None)
        if close_idle is not None:  # a server's connections kept for its workers
            close_idle()
    database_proxy.initialize(db)
    if migrate:
        try:
            upgrade(db)
        except DatabaseError:
            raise
        except Exception as exc:
            raise DatabaseError(f"cannot open the database at {shown(target)}: "
                                f"{_reason(exc)}") from exc
    return db


def _reason(exc: BaseException) -> str:
    """What the database said, on one line (PostgreSQL's messages run to several)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


def schema_version(db: Database) -> str:
    applied = applied_migrations(db)
    return max(applied) if applied else "none"
