"""The app's clock.

`CRM_TUI_NOW` (an ISO date or date-time) freezes it, so that snapshots and end-to-end tests
see the same "today" on every run; `travel_to` moves it for the length of a block, which the
demo builder uses to lay down a case's history on the dates it happened.

`computer_now` is the computer's own clock, which neither of them moves: an irreversible step
(a destruction) is refused while the app's "today" is ahead of it (found when tried, b16f F0:
`CRM_TUI_NOW=2033-01-01 crm-tui retention run` destroyed files years before their date).
Tests move it with monkeypatch, the one seam; no environment variable a user could set moves it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

_travel: list[datetime] = []


def _frozen() -> datetime | None:
    text = os.environ.get("CRM_TUI_NOW", "").strip()
    if not text:
        return None
    try:
        given = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'CRM_TUI_NOW="{text}" is not an ISO date or date-time') from None
    # The app stores local times without an offset (datetime.now()): an instant given with
    # one is that instant on this computer's clock. Found when tried (v16g G4): the offset was
    # dropped, and "23:30-12:00" (11:30 UTC the next day) was recorded as 23:30 today.
    return given.astimezone().replace(tzinfo=None) if given.tzinfo else given


def set_by_environment() -> bool:
    """Whether `CRM_TUI_NOW` sets the app's clock now (not `travel_to`)."""
    return not _travel and _frozen() is not None


def computer_now() -> datetime:
    """The computer's own clock: never `CRM_TUI_NOW`, never `travel_to`."""
    return datetime.now().replace(microsecond=0)


def now() -> datetime:
    if _travel:
        return _travel[-1]
    return _frozen() or datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    _travel.append(moment)
    try:
        yield
    finally:
        _travel.pop()
