"""Found when tried: an invitation to comment signed late gives the customer the reply-by
period from the day it was issued (the extension's decision counted so), while the calendar,
the overdue lists, Home, the review session's `c` and the Head of Service's view counted the
period from the date the proposal gave. One rule (comments_in.comments_by) for every screen:
here the proposal gives 12 Dec 2026, the invitation is issued on 10 Dec, and the customer has
until 4 Jan 2027 on every screen: 14 working days, as `working_day_deadlines` counts reply-by
deadlines by default (found when tried, v16i V2: the period was counted in calendar days, to
24 Dec, while the form offered 14 working days)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import comments_in
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file, inbox, queries
from crm_tui.services.reviews import calendar, review_session, review_steps
from crm_tui.services.reviews.calendar import Obligation
from tests import builders
from tests.builders import TOLD

GIVEN = date(2026, 12, 12)  # the date the proposal gives for comments
# 14 working days from the invitation's issue on Thu 10 Dec (Christmas Day, Boxing Day's
# Monday and New Year's Day skipped).
UNTIL = date(2027, 1, 4)


@pytest.fixture
def late(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> str:
    """A case whose invitation to comment was issued two days before the date it gives; the
    clock on 20 Dec 2026, after that date and before the customer's time is up."""
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-10T10:00:00")
    builders.sign_invitation(actors[Role.CRM], ref)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-20T10:00:00")
    return ref


def test_the_rule_counts_from_the_issue_day(late: str) -> None:
    case = Case.get(Case.reference == late)
    assert case.reply_by == GIVEN
    assert comments_in.comments_by(case) == UNTIL


def test_the_calendar_shows_the_date_the_customer_has(actors: dict[Role, Actor],
                                                     late: str) -> None:
    crm = actors[Role.CRM]
    days = {i.day for i in calendar.items(crm, date(2026, 12, 1), date(2027, 1, 31))
            if i.reference == late and i.kind is Obligation.REPLY_BY}
    assert days == {UNTIL}
    _, overdue = calendar.overdue(crm, date(2026, 12, 20), 100)
    assert late not in {i.reference for i in overdue}


def test_home_the_inbox_and_the_overdue_list_do_not_call_it_late(
        actors: dict[Role, Actor], late: str) -> None:
    crm = actors[Role.CRM]
    assert late not in {c.reference for c in queries.list_cases(crm, overdue_reviews=True)}
    counts = queries.dashboard(crm)
    assert counts.reviews_overdue == 0 and counts.replies_due == 1
    row = next(r for r in inbox.page(crm, inbox.InboxFilter(), size=100).rows
               if r.reference == late)
    assert row.next_action_due == UNTIL and not row.overdue
    # The case file's header says the same next action, by the same day.
    summary = case_file.case_file(crm, late).summary
    assert (summary.next_action, summary.next_action_due) == ("Customer's comments due", UNTIL)


def test_the_sessions_continue_waits_for_the_same_date(actors: dict[Role, Actor],
                                                       late: str) -> None:
    why = review_session.refusal(actors[Role.CRM], late, Action.CONTINUE_UNCHANGED)
    assert "until 4 Jan 2027" in why, why
    facts = review_session.facts(actors[Role.CRM], late)
    assert (facts.reply_by, facts.issued_on, facts.comments_by) == (GIVEN, date(2026, 12, 10),
                                                                    UNTIL)


def test_a_view_given_inside_the_period_is_asked_again(actors: dict[Role, Actor],
                                                       late: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    builders.consult(actors, late, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))  # on 20 Dec, inside the customer's time
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-05T10:00:00")
    with pytest.raises(RequirementMissing, match="comment period ended on 4 January 2027"):
        review_steps.extend_restrictions(
            actors[Role.CRM], late, "Letters went on",
            DecisionTerms(starts_on=date(2027, 1, 5), ends_on=date(2028, 11, 28)),
            read=builders.read(late), customer_reason=TOLD)
    assert Case.get(Case.reference == late).state == CaseState.UNDER_REVIEW.value


def test_the_builder_says_the_same_date(actors: dict[Role, Actor], late: str) -> None:
    """The builder's "Invited to comment … by" (found when tried: it gave the proposal's
    12 Dec while every other screen said the later date)."""
    from crm_tui.services.restrictions.builder import builder_view

    invitation = builder_view(actors[Role.CRM], late).invitation
    assert invitation is not None and invitation.reply_by == UNTIL
