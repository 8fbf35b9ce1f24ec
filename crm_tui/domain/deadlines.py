"""Deadlines in working days or calendar days. Which deadlines count working days is the
council's procedure, so it is configuration; the bank holidays come from the `holidays`
package (England and Wales) through the service layer, keeping this module pure."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta


def is_working_day(day: date, bank_holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in bank_holidays


def add_working_days(start: date, days: int, bank_holidays: Container[date]) -> date:
    """The date `days` working days after `start` (weekends and bank holidays skipped)."""
    if days < 0:
        raise ValueError("a deadline cannot be a negative number of days")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            counted += 1
    return day


def deadline(start: date, days: int, *, working: bool, bank_holidays: Container[date]) -> date:
    if working:
        return add_working_days(start, days, bank_holidays)
    return start + timedelta(days=days)
