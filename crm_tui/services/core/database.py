"""The one transaction helper every service uses."""

from __future__ import annotations

from typing import Any

from crm_tui.db.models import database_proxy


def atomic() -> Any:
    """A transaction (or a savepoint inside one): all of a service call lands, or none."""
    return database_proxy.atomic()


def session() -> Any:
    """A connection for the length of a block, for work done in a UI thread worker: the
    worker's thread gets its own connection and closes it when done."""
    return database_proxy.connection_context()
