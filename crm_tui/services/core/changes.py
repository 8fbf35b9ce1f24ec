"""Which cases changed, told after the change is committed.

Every change to a case writes its audit entry (`audit.record`) inside the service's
transaction, so the audit trail is the one place that knows of every change, whichever
screen, dialog or command made it. The entry notes the case here; when the outermost
transaction commits, the notes go to whoever listens (the app, which tells its screens).
A transaction that rolls back drops its notes: nothing changed. Pure Python: the UI
subscribes with a plain callable, so nothing below `ui` knows of Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One committed change: the case it touched and what was done (the audit action)."""

    reference: str
    what: str


Listener = Callable[[Change], object]

_listeners: list[Listener] = []
_lock = threading.Lock()
# Transactions are per thread (each worker has its own connection), and so are their notes.
_local = threading.local()


def _pending() -> list[Change]:
    found: list[Change] | None = getattr(_local, "pending", None)
    if found is None:
        found = _local.pending = []
    return found


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener` (in the thread that committed) after each committed change to a case;
    returns the function that stops it."""
    with _lock:
        _listeners.append(listener)

    def stop() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)
    return stop


def noted(reference: str, what: str) -> None:
    """A change to `reference` was written in the current transaction."""
    if reference:
        _pending().append(Change(reference, what))


def pending_references() -> list[str]:
    """The cases changed so far in the current (uncommitted) transaction, once each."""
    return list(dict.fromkeys(c.reference for c in _pending()))


def committed() -> None:
    """The outermost transaction committed: tell the listeners, once per case and action."""
    changes = list(dict.fromkeys(_pending()))
    _pending().clear()
    if not changes:
        return
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        for change in changes:
            listener(change)


def rolled_back() -> None:
    """The outermost transaction rolled back: what it noted never happened."""
    _pending().clear()
