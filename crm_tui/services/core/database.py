"""The one transaction helper every service uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from crm_tui.db.models import database_proxy
from crm_tui.services.core import changes, next_step


@contextmanager
def atomic() -> Iterator[Any]:
    """A transaction (or a savepoint inside one): all of a service call lands, or none. When
    the outermost one commits, the cases it changed are told (`changes`)."""
    outermost = not database_proxy.in_transaction()
    try:
        with database_proxy.atomic() as transaction:
            yield transaction
            if outermost:
                # Every case the transaction changed has its next action worked out again,
                # in the same transaction: stored, it never disagrees with the case.
                next_step.store(changes.pending_references())
    except BaseException:
        if outermost:
            changes.rolled_back()
        raise
    if outermost:
        changes.committed()


def session() -> Any:
    """A connection for the length of a block, for work done in a UI thread worker: the
    worker's thread gets its own connection and closes it when done."""
    return database_proxy.connection_context()
