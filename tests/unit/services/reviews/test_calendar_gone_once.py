"""perf6: the calendar's month view looked for invitations to comment that can no longer go
(signed, not posted, and the customer has moved since: comments_in.gone) each time the
comment period's SQL was written, 26 times a view (51 statements where 25 did; 101 ms
against its budget of 100 with 5,000 restrictions in force). Now it looks once a view, and
the dates are the same: the period counts from the invitation written again to the new
address, not from the one that cannot go.

The suite's clock: Saturday 28 November 2026. The proposal gives 17 December 2026; the
invitation is signed that day; the customer moves on Thursday 3 December, and the invitation
is signed again that day: 14 working days from it is 23 December 2026."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from crm_tui.db.models import Case, Letter
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import comments_in
from crm_tui.services.intake import customer_details
from crm_tui.services.reviews import calendar
from crm_tui.services.reviews.calendar import Obligation
from tests import builders

GIVEN = date(2026, 12, 17)
AGAIN = date(2026, 12, 23)


@pytest.fixture
def looks(db: Any) -> Iterator[Callable[[], int]]:
    """How many times, since the last asking, the database was asked for the invitations
    signed and not posted (the look gone makes), on either engine."""
    seen = [0]
    wanted = str(Letter.select().where(
        (Letter.kind == "invitation") & (Letter.status == "issued")
        & Letter.posted_on.is_null() & Letter.duplicate_of.is_null()
        & Letter.signed_at.is_null(False)).sql()[0])
    original = db.execute_sql

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        if sql == wanted:
            seen[0] += 1
        return original(sql, *args, **kwargs)

    db.execute_sql = counting

    def asked() -> int:
        found, seen[0] = seen[0], 0
        return found

    yield asked
    del db.execute_sql


def _reply_by(view: calendar.MonthView, ref: str) -> list[date]:
    return [day for day, found in view.by_day.items() for item in found
            if item.reference == ref and item.kind is Obligation.REPLY_BY]


def test_the_month_view_looks_once_and_counts_from_the_invitation_that_goes(
        actors: dict[Role, Actor], looks: Callable[[], int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    first = builders.sign_invitation(crm, ref, post=False)  # not posted: the move supersedes it
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-03T10:00:00")
    now = customer_details.contact(crm, ref)
    customer_details.set_contact(crm, ref, customer_details.ContactDetails(
        ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
    again = builders.sign_invitation(crm, ref)
    assert again != first
    assert comments_in.gone() == [first]
    looks()
    view = calendar.month(crm, 2026, 12)
    assert looks() == 1  # was 26: once for each time the comment period's SQL was written
    # The same dates as every other screen's: from the invitation that goes, not the first.
    assert _reply_by(view, ref) == [AGAIN]
    assert comments_in.comments_by(Case.get(Case.reference == ref)) == AGAIN
    assert any(item.reference == ref for item in view.soon)
    # Outside the view, each look is made again: a letter signed since is seen.
    looks()
    assert comments_in.gone() == [first]
    assert looks() == 1
