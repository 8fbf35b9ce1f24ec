"""Screened post. A restriction that closes a channel, or says that matters already dealt with
will not be acknowledged, means the council does not reply; it never means the council stops
reading. Every contact from a customer under restriction that came by a closed channel (or
outside the telephone times), or about a closed matter, is queued; someone reads it and gives
it one outcome: nothing new (filed), a new matter (opened as a matter on the case), or an
emergency or safeguarding concern (passed to a named person, saying how).

Who screens (domain.permissions, SCREEN_POST): the Complaints Resolution Team (the CRM and
its officers). It is independent of the service areas, and deciding that an item needs no
reply applies the restriction the CRM imposed. A service area manager logs the contact (which
queues it) and sees their own area's queue, but does not give the outcome: the customer's
complaints are often about that very area."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta
from enum import StrEnum

from crm_tui.domain.deadlines import add_working_days
from crm_tui.domain.restrictions import RestrictionKind


class ScreeningOutcome(StrEnum):
    FILED = "filed"
    NEW_MATTER = "new_matter"
    PASSED_ON = "passed_on"

    @property
    def label(self) -> str:
        return {"filed": "Nothing new — filed",
                "new_matter": "New matter — opened as a matter",
                "passed_on": "Emergency or safeguarding — passed to a named person"}[self.value]


# The restrictions whose breach means a contact is filed without reply, so must still be read:
# those that close a channel (a form of contact, telephone times, blocked electronic contact)
# and "only new issues" (closed matters are not acknowledged). A contact made to the wrong
# officer is passed to the named officer instead, who reads it; "only significant queries" is a
# judgement the officer makes on the spot.
SCREENED_KINDS = frozenset({RestrictionKind.FORM_OF_CONTACT, RestrictionKind.TELEPHONE_TIMES,
                            RestrictionKind.NEW_ISSUES_ONLY, RestrictionKind.BLOCK_ELECTRONIC})

QUEUED = "the item is queued for screening: read it for anything new or an emergency"
IF_LOGGED = ("once it is logged it is queued for screening: read it for anything new or an "
             "emergency")


def what_to_do(instruction: str, screened: bool, *, logged: bool = True) -> str:
    """The officer's instruction for one breach, in plain words, with the screening step when
    the contact is filed without reply."""
    if not screened:
        return f"{instruction}."
    return f"{instruction}; {QUEUED if logged else IF_LOGGED}."


def screen_by(arrived: date, working_days: int, bank_holidays: Container[date]) -> date:
    """The day by which an item that arrived on `arrived` is to be read."""
    return add_working_days(arrived, working_days, bank_holidays)


def last_arrival_due_by(day: date, working_days: int, bank_holidays: Container[date]) -> date:
    """The latest arrival date whose screen-by date is on or before `day`. Screen-by dates never
    go backwards as arrival dates move forwards, so a walk back from `day` finds it; a walk of
    a few weeks at most, since working days are never more than a few calendar days apart."""
    arrived = day - timedelta(days=working_days)
    while screen_by(arrived, working_days, bank_holidays) > day:
        arrived -= timedelta(days=1)
    return arrived
