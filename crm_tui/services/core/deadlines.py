"""Deadlines as the council's procedure counts them: working days (England and Wales bank
holidays, from `holidays`) for the kinds listed in `working_day_deadlines`, calendar days for
the rest."""

from __future__ import annotations

from datetime import date
from functools import cache

from crm_tui.domain import screening
from crm_tui.domain.deadlines import deadline
from crm_tui.services.core import settings


@cache
def bank_holidays(year: int) -> frozenset[date]:
    import holidays  # a large table of countries: loaded when a deadline is first counted

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays_around(day: date, before: int = 10, after: int = 2) -> frozenset[date]:
    """The bank holidays of the years from `before` years before `day`'s to `after` after:
    those a deadline counted in SQL from a stored day may run through (PostgreSQL is given
    them; SQLite is lent the rule itself)."""
    return frozenset().union(*(bank_holidays(year)
                               for year in range(day.year - before, day.year + after + 1)))


class _Years:
    """Bank holidays of whichever years a deadline runs through."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in bank_holidays(day.year)


def due(kind: str, start: date, days: int) -> date:
    """The deadline of `kind` (reply_by, appeal, review, referral_response) `days` after
    `start`."""
    working = kind in settings.current().working_day_deadlines
    return deadline(start, days, working=working, bank_holidays=_Years())


def screen_by(arrived: date) -> date:
    """The day by which post that arrived on `arrived` and was filed without reply is read:
    `screening_working_days` working days later."""
    return screening.screen_by(arrived, settings.current().screening_working_days, _Years())


def last_arrival_due_by(day: date) -> date:
    """The latest arrival day whose post was to be read by `day`."""
    return screening.last_arrival_due_by(day, settings.current().screening_working_days,
                                         _Years())
