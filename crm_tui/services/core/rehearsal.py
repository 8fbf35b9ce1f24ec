"""A rehearsal of a step: the service runs every check it makes on what was given (the
rules, the fields, the words the customer is told) and stops where it would confirm, writing
nothing. A form rehearses a step of consequence before it asks "…, as Ceri Hughes?", so that
every problem is shown at its field before the question naming who acts, never after it (when
what the person types next — their passphrase — would go into the form)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_rehearsing: ContextVar[bool] = ContextVar("rehearsing", default=False)


class Rehearsed(Exception):
    """The rehearsal reached the point of confirming: every check passed; nothing written."""


@contextmanager
def rehearsal() -> Iterator[None]:
    """Steps run inside this block (in this thread) stop where they would confirm."""
    token = _rehearsing.set(True)
    try:
        yield
    finally:
        _rehearsing.reset(token)


def rehearsing() -> bool:
    return _rehearsing.get()


def checked() -> None:
    """The point in a step where every check has been made and nothing is written yet: a
    rehearsal stops here (the transaction around it rolls back)."""
    if _rehearsing.get():
        raise Rehearsed
