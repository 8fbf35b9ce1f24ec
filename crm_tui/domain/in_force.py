"""One rule for "restrictions in force on a day", read by every screen and count: a
restriction applies from its first day to its last, both included. Decided today to start
tomorrow, it is decided and not yet in force (t15 F6: the case file said "RESTRICTIONS IN
FORCE" and Home counted it the day before the customer was restricted)."""

from __future__ import annotations

from datetime import date


def applies_on(starts_on: date | None, ends_on: date | None, day: date) -> bool:
    """Whether a restriction with these dates applies on `day` (a start not recorded: from the
    decision, which is before any day asked about)."""
    return (starts_on is None or starts_on <= day) and (ends_on is None or day <= ends_on)


def starts_later(starts_on: date | None, day: date) -> bool:
    """Decided to start after `day`: not yet in force then."""
    return starts_on is not None and starts_on > day
