"""The contacts this thread's write transaction changed, each with its row as it was before the
transaction first changed it: what lets the team's seal of contacts on no case
(services.core.team_seal) be brought up to date from the rows a save wrote, never by reading
every contact again (issue 17: 5,000,000 contacts on no case were read and hashed at every
save, 7.5 minutes at a full core for the expiry check's archive).

Every write the app makes to a contact goes through the model's own queries (create, save,
update, delete, insert_many, delete_instance): ContactLogEntry's are the ones below, which
note the ids they touch and read, before writing, the rows they will change or delete (one
select by the same condition, of those rows alone). Rows inserted are new: nothing was there
before them. A row first touched is remembered as it was then, later writes in the same
transaction leave it so: that is the row as last committed, or as an edit made outside the
app left it (which the seal then goes on not vouching for: `audit verify` names it).

A write the app cannot tell the rows of (an insert from a select) leaves the set `unknown`:
the seal is then worked out from every row, as before. A write made outside the app's
models (raw SQL, another program) is not noted: that is what the seal is for.
"""

from __future__ import annotations

import threading
from typing import Any

from peewee import ModelDelete, ModelInsert, ModelUpdate, fn

_local = threading.local()


def _noted() -> dict[int, tuple[Any, ...] | None]:
    found: dict[int, tuple[Any, ...] | None] | None = getattr(_local, "rows", None)
    if found is None:
        found = _local.rows = {}
    return found


def forget() -> None:
    """A write transaction begins or ends: nothing noted before it is its own."""
    _local.rows = {}
    _local.unknown = False


def take() -> dict[int, tuple[Any, ...] | None] | None:
    """The contacts written since `forget`, by id: each one's row (every column, in the
    model's order) as it was before it was first written, or None if there was none; None
    instead of the whole: some write's rows could not be told. Forgets them."""
    rows = _noted()
    unknown = bool(getattr(_local, "unknown", False))
    forget()
    return None if unknown else rows


def unknown() -> None:
    """Contacts were written by SQL of the caller's own (a bulk insert): which ones, and how
    they were before, is not known, so the transaction's seal is worked out from every row."""
    _local.unknown = True


def _remember(model: Any, where: Any) -> None:
    """Read, before a write, the rows `where` picks, and note each not noted yet."""
    noted = _noted()
    query = model.select(*model._meta.sorted_fields)
    if where is not None:
        query = query.where(where)
    for row in query.tuples().iterator():
        noted.setdefault(int(row[0]), tuple(row))


def _elsewhere(model: Any, database: Any) -> bool:
    """The write goes to a database other than the one the models are bound to (migrate-db
    copying into its target): nothing of this thread's transaction."""
    bound = model._meta.database
    return getattr(database, "obj", database) is not getattr(bound, "obj", bound)


def _top(model: Any) -> int:
    found = model.select(fn.MAX(model._meta.primary_key)).scalar()
    return int(found or 0)


class NotedUpdate(ModelUpdate):
    def _execute(self, database: Any) -> Any:
        query: Any = self
        if not _elsewhere(query.model, database):
            _remember(query.model, query._where)
        return ModelUpdate._execute(query, database)  # type: ignore[attr-defined]


class NotedDelete(ModelDelete):
    def _execute(self, database: Any) -> Any:
        query: Any = self
        if not _elsewhere(query.model, database):
            _remember(query.model, query._where)
        return ModelDelete._execute(query, database)  # type: ignore[attr-defined]


class NotedInsert(ModelInsert):
    def _execute(self, database: Any) -> Any:
        query: Any = self
        model = query.model
        key = model._meta.primary_key
        rows = query._insert
        if isinstance(rows, dict):
            rows = [rows]
        if _elsewhere(model, database):
            return ModelInsert._execute(query, database)  # type: ignore[attr-defined]
        if not isinstance(rows, list | tuple) or not all(isinstance(r, dict) for r in rows):
            # From a select, a generator, or rows as tuples: not told apart here.
            _local.unknown = True
            return ModelInsert._execute(query, database)  # type: ignore[attr-defined]
        given: list[int] = []
        for row in rows:
            value = row.get(key, row.get(key.name))
            if isinstance(value, int):
                given.append(value)
        for start in range(0, len(given), 500):  # a row given its id may replace one
            _remember(model, key.in_(given[start:start + 500]))
        top = _top(model)
        result = ModelInsert._execute(query, database)  # type: ignore[attr-defined]
        noted = _noted()
        for number in given:
            noted.setdefault(number, None)
        for (number,) in model.select(key).where(key > top).tuples().iterator():
            noted.setdefault(int(number), None)
        return result
