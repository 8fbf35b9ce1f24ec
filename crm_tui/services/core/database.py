"""The one transaction helper every service uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from peewee import OperationalError

from crm_tui.db.dialect import is_busy, read_transaction, server_refusal, write_transaction
from crm_tui.db.models import database_proxy
from crm_tui.domain.errors import DatabaseBusy, PermissionDenied
from crm_tui.services.core import audit_seals, changes, next_step, rehearsal

BUSY = ("Another person is saving a large change to this database; nothing was saved. "
        "Try again in a moment.")


@contextmanager
def atomic() -> Iterator[Any]:
    """A write transaction (or a savepoint inside one): all of a service call lands, or none.
    The outermost one takes the write lock as it begins, so that a second writer waits for it
    (up to the busy timeout) instead of failing; if the wait runs out, DatabaseBusy says so
    and nothing was written. When it commits, the cases it changed are told (`changes`).
    Reads need no transaction (`session` in a worker): a reader never takes the lock."""
    outermost = not database_proxy.in_transaction()
    try:
        with write_transaction(database_proxy.obj) as transaction:
            if outermost:
                audit_seals.forget()  # nothing noted outside this transaction is sealed in it
            yield transaction
            if outermost:
                # A rehearsed step that reached no confirmation writes nothing all the same.
                rehearsal.checked()
                # Every case the transaction changed has its next action worked out again,
                # in the same transaction: stored, it never disagrees with the case.
                next_step.store(changes.pending_references())
                # Last: the entries vouch for the records as they are committed.
                audit_seals.store()
    except OperationalError as exc:
        if outermost:
            changes.rolled_back()
            audit_seals.forget()
            if is_busy(exc):
                raise DatabaseBusy(BUSY) from exc
        raise
    except BaseException as exc:
        if outermost:
            changes.rolled_back()
            audit_seals.forget()
            refused = server_refusal(exc)
            if refused is not None:
                # The server's own rules (server_roles) refused what the app let through:
                # said plainly, as the app's own refusals are.
                raise PermissionDenied(f"the database server refused this: {refused}. "
                                       "Nothing was saved.") from exc
        raise
    if outermost:
        changes.committed()


@contextmanager
def reading() -> Iterator[Any]:
    """A read of several queries that must agree with each other (a bundle, a register): one
    deferred transaction, a snapshot of the database as it was when it first read, that never
    takes the write lock. Others save meanwhile; what they save is not in this read."""
    if database_proxy.in_transaction():
        yield None  # inside a transaction already: its view is the one to read
        return
    with read_transaction(database_proxy) as transaction:
        yield transaction


def session() -> Any:
    """A connection for the length of a block, for work done in a UI thread worker: the
    worker's thread gets its own connection and closes it when done (on a server, kept
    for the next worker's: db/server_connections.py)."""
    db = database_proxy.obj
    return (db if db is not None else database_proxy).connection_context()
