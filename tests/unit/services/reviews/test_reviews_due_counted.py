"""Home's "Reviews due in the next 30 days" counts the cases whose review falls due in the next
30 days by the review calendar's rule, so that the count and the calendar's "Review due"
entries agree (fixBS: Home counted by the case's state and the review date alone, and so a
case whose proposed extension awaits the customer's comments, a date the calendar gives as the
comments due, counted as a review due as well)."""

from __future__ import annotations

from datetime import date, timedelta

from crm_tui import clock
from crm_tui.db.models import Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import queries
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests import builders


def _reviews_on_calendar(crm: Actor, today: date) -> list[str]:
    return [i.reference for i in calendar.items(crm, today, today + timedelta(days=30))
            if i.kind is Obligation.REVIEW]


def _review_due(ref: str, day: date) -> None:
    Case.update(review_due=day).where(Case.reference == ref).execute()


def test_home_counts_the_reviews_the_calendar_shows_due(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    today = clock.today()
    due_soon = builders.at_state(actors, CaseState.RESTRICTED)
    due_later = builders.at_state(actors, CaseState.RESTRICTED)
    invited = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, invited, reply_by=today + timedelta(days=14))
    _review_due(due_soon, today + timedelta(days=30))  # the last day counted
    _review_due(due_later, today + timedelta(days=31))
    # Its review date in the window, but the comment period stands for it now: the calendar
    # gives the customer's comments due, and Home counts it among the replies awaited.
    _review_due(invited, today + timedelta(days=3))

    assert _reviews_on_calendar(crm, today) == [due_soon]
    counts = queries.dashboard(crm)
    assert counts.reviews_due_30_days == 1
    assert counts.replies_due == 1
