"""What the two database engines say differently, chosen by the database in use: SQLite's in
`sqlite.py`, PostgreSQL's in `postgres.py`. The services ask here, never either of those.

The expressions (search, dates) are chosen when their SQL is written, not when they are
built, so that one built when a module is imported serves whichever database is bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from peewee import Case, ColumnBase, Database, Expression, SqliteDatabase, fn

from crm_tui.db import postgres, sqlite
from crm_tui.db.models import EngineChoice, database_proxy

__all__ = [
    "cases_matching",
    "checkpoint",
    "create_search_tables",
    "database_path",
    "day",
    "deadline",
    "drop_search_tables",
    "either",
    "forget_case",
    "format_id",
    "greatest",
    "hour",
    "index_case",
    "insert_or_replace",
    "is_busy",
    "is_sqlite",
    "lent_or",
    "match_query",
    "month",
    "purge_search",
    "read_transaction",
    "rebuild_contact_search",
    "week_start",
    "weekday",
    "write_transaction",
]


def is_sqlite(db: Database | None = None) -> bool:
    """Whether `db` (the bound database when None) is SQLite's (SQLCipher's included)."""
    target = database_proxy.obj if db is None else db
    return isinstance(target, SqliteDatabase)


def database_path(db: Database | None = None) -> Path | None:
    """The SQLite file `db` (the bound database when None) is kept in; None for a database
    in memory or on a server. A PostgreSQL database's `database` is its name on the server,
    never a file here: nothing is looked for, or removed, beside it."""
    target = database_proxy.obj if db is None else db
    file = getattr(target, "database", None)
    if not is_sqlite(target) or not isinstance(file, str) or file in ("", ":memory:") \
            or "://" in file:
        return None
    return Path(file)


def either(on_sqlite: Any, on_postgres: Any) -> Any:
    """`on_sqlite` or `on_postgres`, chosen when the query's SQL is written."""
    return EngineChoice(on_sqlite, on_postgres)


class _Later(ColumnBase):
    """The expression `build()` makes when the query's SQL is written."""

    def __init__(self, build: Callable[[], Any]) -> None:
        super().__init__()
        self.build = build

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(self.build())


def when_written(build: Callable[[], Any]) -> Any:
    """The expression `build()` makes when the query's SQL is written (on either engine): what
    it reads is read then, not when the query was made (a query built once, at import)."""
    return _Later(build)


def lent_or(on_sqlite: Any, on_postgres: Callable[[], Any]) -> Any:
    """`on_sqlite` (a function lent to SQLite: connection.lend_function) on SQLite; on
    PostgreSQL, the expression `on_postgres()` makes when the query's SQL is written, so that
    what it reads (the settings, say) is read then, as the lent function reads it."""
    return EngineChoice(on_sqlite, _Later(on_postgres))


def deadline(start: Any, days: int, working: bool, bank_holidays: Iterable[date]) -> Any:
    """PostgreSQL: the day `days` calendar days, or working days skipping weekends and the
    bank holidays given, after the day `start` (domain.deadlines.deadline in SQL)."""
    return postgres.deadline(start, days, working, sorted(bank_holidays))


# Transactions.
def write_transaction(db: Database) -> Any:
    """A transaction that takes the database's one write lock as it begins: SQLite's BEGIN
    IMMEDIATE; on PostgreSQL a transaction-level advisory lock, so that writers follow one
    another there too (the audit trail's chain, each save's read-then-write) and a second
    writer waits up to the busy timeout (lock_timeout) instead of interleaving."""
    if is_sqlite(db):
        return sqlite.write_transaction(db)
    return _server_write(db)


@contextmanager
def _server_write(db: Database) -> Iterator[Any]:
    with db.atomic() as transaction:
        postgres.take_write_lock(db)
        yield transaction


def read_transaction(db: Any) -> Any:
    """A transaction that only reads, every query of it seeing the database as it was when
    it first read: SQLite's DEFERRED (WAL keeps that moment, and no write lock is taken);
    PostgreSQL's REPEATABLE READ (its own default sees each later commit)."""
    if is_sqlite(db.obj if hasattr(db, "obj") else db):
        return db.atomic(lock_type="DEFERRED")
    return db.atomic(isolation_level="REPEATABLE READ")


def is_busy(error: BaseException) -> bool:
    return sqlite.is_busy(error) or postgres.is_busy(error)


def server_refusal(error: BaseException) -> str | None:
    """Why a database server refused this login a write (None: it did not)."""
    return postgres.server_refusal(error)


# Upserts.
def insert_or_replace(query: Any, key: Any) -> Any:
    """An insert that takes the place of the row with the same `key` (a unique column):
    SQLite's INSERT OR REPLACE; on PostgreSQL, ON CONFLICT (key) DO UPDATE with every column
    the insert gives."""
    if is_sqlite():
        return query.on_conflict_replace()
    given = [field for field in query._insert if field is not key]
    return query.on_conflict(conflict_target=[key], preserve=given)


# Full-text search.
def create_search_tables(db: Database) -> None:
    if is_sqlite(db):
        sqlite.create_search_tables(db)
    else:
        postgres.create_search_tables(db)


def drop_search_tables(db: Database) -> None:
    if is_sqlite(db):
        sqlite.drop_search_tables(db)
    else:
        postgres.drop_search_tables(db)


def rebuild_contact_search(db: Database) -> None:
    """Index the whole contact log again (PostgreSQL's column is computed with each row)."""
    if is_sqlite(db):
        sqlite.rebuild_contact_search(db)


def index_case(db: Database, case_id: int, body: str) -> None:
    if is_sqlite(db):
        sqlite.index_case(db, case_id, body)
    else:
        postgres.index_case(db, case_id, body)


def forget_case(db: Database, case_id: int) -> None:
    if is_sqlite(db):
        sqlite.forget_case(db, case_id)
    else:
        postgres.forget_case(db, case_id)


def purge_search(db: Database) -> None:
    """Rewrite the search indexes without what was deleted from them (SQLite: FTS5's
    'optimize'). PostgreSQL removes a deleted row's index entries when it vacuums, which
    cannot be done inside the transaction this runs in: `checkpoint`, run after it outside
    any transaction (erasure.finish's callers), vacuums the search tables there."""
    if is_sqlite(db):
        sqlite.purge_search(db)


def checkpoint(db: Database) -> bool:
    """After a destruction, outside any transaction: SQLite's WAL emptied into the file;
    PostgreSQL's search tables vacuumed (postgres.vacuum_search). True when done."""
    return sqlite.checkpoint(db) if is_sqlite(db) else postgres.vacuum_search(db)


def match_query(text: str) -> str:
    """The user's words as a search query ('' when there is none to search for)."""
    return sqlite.match_query(text)


def cases_matching(case_id_column: Any, customer_id_column: Any, text: str) -> Expression:
    if is_sqlite():
        return sqlite.cases_matching(case_id_column, customer_id_column, text)
    return postgres.cases_matching(case_id_column, customer_id_column, text,
                                   sqlite.CONTACT_MATCH_LIMIT)


# Dates and other expressions.
def week_start(column: Any) -> Any:
    """The Monday of the week of a timestamp, as 'YYYY-MM-DD'."""
    return either(sqlite.week_start(column), postgres.week_start(column))


def month(column: Any) -> Any:
    """'YYYY-MM' of a timestamp."""
    return either(sqlite.month(column), postgres.month(column))


def hour(column: Any) -> Any:
    return either(sqlite.hour(column), postgres.hour(column))


def weekday(column: Any) -> Any:
    """0 for Sunday to 6 for Saturday."""
    return either(sqlite.weekday(column), postgres.weekday(column))


def day(column: Any) -> Any:
    """The day of a timestamp, to compare with a date column ('YYYY-MM-DD' on SQLite, a
    date on PostgreSQL: read back, `str()` of either is the ISO day)."""
    return either(sqlite.day(column), postgres.day(column))


def greatest(first: Any, second: Any) -> Any:
    """The later of two values, NULL when either is NULL (SQLite's max() of two; PostgreSQL's
    GREATEST passes over a NULL, so the NULL is said first)."""
    return either(fn.MAX(first, second),
                  Case(None, [(first.is_null() | second.is_null(), None)],
                       fn.GREATEST(first, second)))


def format_id(template: str, value: Any) -> Any:
    """`template` with its one %d replaced by the integer `value` (SQLite's printf)."""
    return either(fn.printf(template, value),
                  fn.format(template.replace("%d", "%s"), value))
