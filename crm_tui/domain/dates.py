"""Dates the policy sets: reviews, appeal deadlines and retention."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

DEFAULT_REVIEW_MONTHS = 12
RETENTION_YEARS_AFTER_RESTRICTIONS = 6


class ReviewPeriodReason(StrEnum):
    """The only grounds on which the policy lets the yearly review period change."""

    PERSONAL_CIRCUMSTANCES = "personal_circumstances"
    CIRCUMSTANCES_OF_BEHAVIOUR = "circumstances_of_behaviour"
    LEVEL_OF_SERVICE = "level_of_service"
    RISK_TO_CUSTOMER = "risk_to_customer"

    @property
    def label(self) -> str:
        return {
            "personal_circumstances": "The personal circumstances of the customer",
            "circumstances_of_behaviour": "The circumstances giving rise to the behaviour",
            "level_of_service": "The level of service provision needed by the customer",
            "risk_to_customer": "The level of risk to the customer from the restrictions",
        }[self.value]


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def review_due(decided_on: date, months: int = DEFAULT_REVIEW_MONTHS) -> date:
    return add_months(decided_on, months)


def appeal_by(letter_date: date, days: int) -> date:
    return letter_date + timedelta(days=days)


def destroy_after(restrictions_ended: date,
                  years: int = RETENTION_YEARS_AFTER_RESTRICTIONS) -> date:
    """The policy keeps the file for the restrictions' duration plus six years."""
    return add_months(restrictions_ended, 12 * years)


def month_named(month: str, *, short: bool = False) -> str:
    """A month kept as "2026-11", as people read it: "Nov 2026", or "Nov 26" where a column
    is narrow ("26-11" read as the 26th of November)."""
    try:
        day = date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return day.strftime("%b %y" if short else "%b %Y")
