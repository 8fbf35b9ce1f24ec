"""A select turned into SQL once and run again for each value it is asked with.

Peewee writes a query's SQL afresh each time it runs: for the wide selects that seal a case
into the audit trail (every column of some twenty tables, asked twice of each case at each
save), writing the SQL cost more than running it (found when tried: most of the demo's
build went on it). The SQL of such a select does not change from one case to the next, only
the value it is asked with; it is written once per kind of database and run again with the
new value. The rows come back as the select itself returns them (the same cursor wrapper, so
each column is read into Python as its field reads it): whatever is hashed from them is the
same as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from peewee import SqliteDatabase

from crm_tui.db.models import database_proxy

Reader = Callable[[tuple[Any, ...]], tuple[Any, ...]]

# The value the select is built with to find where the asked value goes: never a real id or
# reference (ids are positive, references are not empty).
_MARKS: dict[type, Any] = {int: -918273645, str: "\x00prepared\x00"}


class Prepared:
    """`build(value)` makes the select; `rows(value)` runs it as `build(value)` would, with
    its SQL written once. The select must take `value` once, as a parameter of its own; or,
    `kind` None, it takes no value (`build(None)`, `rows()`)."""

    def __init__(self, build: Callable[[Any], Any], kind: type | None = int) -> None:
        self._build = build
        self._mark = None if kind is None else _MARKS[kind]
        self._kind = kind
        self._written: dict[type, tuple[Any, str, list[Any], int]] = {}

    def _query(self, db: Any) -> tuple[Any, str, list[Any], int]:
        found = self._written.get(type(db))
        if found is None:
            query = self._build(self._mark).tuples()
            sql, params = query.sql()
            params = list(params)
            # The other parameters (a LIMIT) are the select's own, the same for every value.
            if self._kind is None:
                found = (query, sql, params, -1)
            elif params.count(self._mark) != 1:
                raise ValueError("a prepared select takes the value it is asked with once")
            else:
                found = (query, sql, params, params.index(self._mark))
            self._written[type(db)] = found
        return found

    def raw(self, value: Any = None) -> tuple[Iterator[tuple[Any, ...]], Reader]:
        """The select's rows for `value` as SQLite gives them, read on this thread's
        connection, and how the select reads one into Python (each column as its field
        reads it: a date from its text, a foreign key as its id)."""
        if self._kind is None and value is not None:
            raise TypeError("this prepared select takes no value")
        if self._kind is not None and not isinstance(value, self._kind):
            raise TypeError(f"a prepared select is asked with a {self._kind.__name__}")
        db = database_proxy.obj
        query, sql, params, at = self._query(db)
        cursor = db.execute_sql(sql, params if at < 0 else
                                (*params[:at], value, *params[at + 1:]))
        wrapper = query._get_cursor_wrapper(cursor)

        def read(row: tuple[Any, ...]) -> tuple[Any, ...]:
            if not wrapper.initialized:  # as peewee does on the first row it reads
                wrapper.initialize()
                wrapper.initialized = True
            return tuple(wrapper.process_row(row))

        return iter(cursor), read

    def streamed(self, value: Any = None, batch: int = 5000) -> tuple[
            Iterator[tuple[Any, ...]], Reader]:
        """As `raw`, the rows fetched a batch at a time, never all of them held at once: on
        PostgreSQL through a cursor kept on the server (psycopg2 fetches every row of a
        plain cursor into memory before the first is read: 2 GB for 5,000,000 contacts);
        SQLite's cursor steps through the rows as they are read."""
        db = database_proxy.obj
        if isinstance(db, SqliteDatabase):
            return self.raw(value)
        query, sql, params, at = self._query(db)
        cursor = db.connection().cursor(name=f"crm_prepared_{id(self):x}", withhold=True)
        cursor.itersize = batch
        cursor.execute(sql, params if at < 0 else (*params[:at], value, *params[at + 1:]))
        wrapper = query._get_cursor_wrapper(cursor)

        def rows() -> Iterator[tuple[Any, ...]]:
            try:
                yield from cursor
            finally:
                cursor.close()

        def read(row: tuple[Any, ...]) -> tuple[Any, ...]:
            if not wrapper.initialized:
                wrapper.initialize()
                wrapper.initialized = True
            return tuple(wrapper.process_row(row))

        return rows(), read

    def rows(self, value: Any = None) -> Iterator[tuple[Any, ...]]:
        """The select's rows for `value`, as tuples, read on this thread's connection."""
        found, read = self.raw(value)
        return (read(row) for row in found)

    def first(self, value: Any = None) -> tuple[Any, ...] | None:
        return next(self.rows(value), None)
