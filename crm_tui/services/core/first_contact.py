"""The customer's first contact with the council (domain.first_contact), read from the
records: held to by every service that records a date following it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from peewee import fn

from crm_tui.db.models import Case, ContactLogEntry, LocalResolution
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.first_contact import before_first_contact, first_contact


def _day(value: object) -> date | None:
    # An aggregate comes back from SQLite as text.
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def of_customer(customer_id: int | None, also: Iterable[date] = ()) -> date | None:
    """The customer's first contact: their earliest logged contact or local resolution's
    start, with `also` (a local resolution being recorded with the date checked)."""
    days: list[date | None] = list(also)
    if customer_id is not None:
        days.append(_day(ContactLogEntry.select(fn.MIN(ContactLogEntry.at))
                         .where(ContactLogEntry.customer == customer_id).scalar()))
        days.append(_day(LocalResolution.select(fn.MIN(LocalResolution.written_on))
                         .join(Case).where(Case.customer == customer_id).scalar()))
    return first_contact(days)


def not_before(field: str, day: date, case: Case, what: str) -> date:
    """Refuse `day` for `field` if it is before the case's customer's first contact."""
    problem = before_first_contact(day, of_customer(case.customer_id), what)
    if problem:
        raise ValidationError(field, problem)
    return day
