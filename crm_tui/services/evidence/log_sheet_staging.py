"""A log sheet's checked lines staged outside the write lock, then published in one statement.

Found when tried: a 90,000-line sheet held the database's write lock about 20 seconds at the
end of its import (a save behind it waited 38.9 s, beyond the busy timeout), most of it the
rows written one statement each, every one running the search index's trigger. Staged, the
lines go first into a table of an in-memory database attached to the import's own connection
(no other connection sees it, and nothing of it reaches a file: a run killed there leaves
nothing to clean up); holding the lock, one INSERT … SELECT copies them into the log sheet
inside the import's one transaction, so every line lands, or none does.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from crm_tui.db import contact_writes
from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import ContactLogEntry, database_proxy

# The import's own values, given when it publishes; the rest are each staged line's.
_OWN = ("customer", "case", "recorded_by")
_CHUNK = 5_000  # lines written into the stage per statement run
_names = itertools.count()


@dataclass(frozen=True)
class Stage:
    """The staged lines, in their sheet's order."""

    table: str  # qualified and quoted
    columns: str  # the log sheet's columns the staged lines give, quoted, comma separated
    lines: int

    def publish(self, customer_id: int | None, case_id: int, recorded_by: int | None) -> None:
        """Copy the staged lines into the log sheet, in their order; call holding the write
        lock, inside the import's transaction."""
        if not self.lines:
            return
        fields = ContactLogEntry._meta.fields
        own = ", ".join(f'"{fields[name].column_name}"' for name in _OWN)
        if case_id is None:  # contacts on no case: the team's seal reads them all again
            contact_writes.unknown()
        db = database_proxy.obj
        main = '"main".' if is_sqlite(db) else ""
        mark = db.param
        db.execute_sql(
            f'INSERT INTO {main}"{ContactLogEntry._meta.table_name}" ({self.columns}, {own}) '
            f'SELECT {self.columns}, {mark}, {mark}, {mark} FROM {self.table} ORDER BY "line"',
            (customer_id, case_id, recorded_by))


def _values(rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns and each row's values as peewee stores them (the fields' own db_value),
    a field the rows do not give at its default, as peewee's insert gives it: so the rows
    read back, and seal, the same as one logged in a form."""
    fields = ContactLogEntry._meta.fields
    names = list(rows[0]) if rows else []
    defaults = {name: field.default for name, field in fields.items()
                if field.default is not None and name not in (*names, *_OWN, "id")}
    given = list(names)
    names += list(defaults)
    convert = [fields[name].db_value for name in names]
    fixed = {name: value() if callable(value) else value for name, value in defaults.items()}
    return ([fields[name].column_name for name in names],
            [tuple(to_db(value) for to_db, value in
                   zip(convert, [*(row[name] for name in given), *fixed.values()], strict=True))
             for row in rows])


@contextmanager
def staged(rows: list[dict[str, Any]]) -> Iterator[Stage]:
    """The rows written into a private in-memory table, without the write lock; removed when
    the block ends, published or not. Called holding a transaction already (the lock is then
    the caller's), a temporary table of the connection stands in for it, as ATTACH cannot be
    run inside a transaction."""
    db = database_proxy.obj
    name = f"log_sheet_stage_{os.getpid()}_{next(_names)}"
    if not is_sqlite(db):
        with _staged_on_server(db, name, rows) as stage:
            yield stage
        return
    attached = not db.in_transaction()
    if attached:
        db.execute_sql(f"ATTACH DATABASE ':memory:' AS \"{name}\"")
        table = f'"{name}"."line"'
    else:
        table = f'"temp"."{name}"'
    try:
        columns, values = _values(rows)
        quoted = ", ".join(f'"{column}"' for column in columns)
        db.execute_sql(f'CREATE TABLE {table} ("line" INTEGER PRIMARY KEY, {quoted})'
                       if columns else f'CREATE TABLE {table} ("line" INTEGER PRIMARY KEY)')
        marks = ", ".join("?" for _ in columns)
        for start in range(0, len(values), _CHUNK):
            db.connection().executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                                        values[start:start + _CHUNK])
        yield Stage(table, quoted, len(values))
    finally:
        db.execute_sql(f'DETACH DATABASE "{name}"' if attached
                       else f"DROP TABLE IF EXISTS {table}")


@contextmanager
def _staged_on_server(db: Any, name: str, rows: list[dict[str, Any]]) -> Iterator[Stage]:
    """PostgreSQL: a temporary table of the connection, its columns typed as the log's."""
    table = f'"{name}"'
    columns, values = _values(rows)
    quoted = ", ".join(f'"{column}"' for column in columns)
    log = f'"{ContactLogEntry._meta.table_name}"'
    try:
        db.execute_sql(f"CREATE TEMPORARY TABLE {table} AS SELECT {quoted or 1} FROM {log} "
                       "WITH NO DATA")
        db.execute_sql(f'ALTER TABLE {table} ADD COLUMN "line" SERIAL PRIMARY KEY')
        marks = ", ".join("%s" for _ in columns)
        with db.connection().cursor() as cursor:
            for start in range(0, len(values), _CHUNK):
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                                   values[start:start + _CHUNK])
        yield Stage(table, quoted, len(values))
    finally:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
