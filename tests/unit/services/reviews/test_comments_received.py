"""Once the customer's comments on a proposed extension are recorded, no screen says a reply
is awaited (v15b S7): the case's next action, Home's count and the calendar follow them,
while the review still waits for the date the customer was given."""

from __future__ import annotations

from datetime import date

from crm_tui.db.models import Case
from crm_tui.domain.next_action import COMMENTS_DUE, COMMENTS_RECEIVED
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import queries
from crm_tui.services.reviews import calendar, review_session
from crm_tui.services.reviews.calendar import Obligation
from tests import builders

REPLY_BY = date(2026, 12, 17)  # 14 working days from the frozen today, 28 Nov 2026


def _kinds(crm: Actor, ref: str) -> set[Obligation]:
    return {i.kind for i in calendar.items(crm, date(2026, 11, 1), date(2026, 12, 31))
            if i.reference == ref}


def test_recorded_comments_end_the_wait_for_a_reply(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=REPLY_BY)
    case = Case.get(Case.reference == ref)
    assert (case.next_action, case.next_action_due) == (COMMENTS_DUE, REPLY_BY)
    assert queries.dashboard(crm).replies_due == 1
    assert _kinds(crm, ref) == {Obligation.REPLY_BY}

    review_session.record_comments(actors[Role.OFFICER], ref, "The restrictions are unfair",
                                   date(2026, 11, 28))

    case = Case.get(Case.reference == ref)
    assert (case.next_action, case.next_action_due) == (COMMENTS_RECEIVED, REPLY_BY)
    assert queries.dashboard(crm).replies_due == 0
    assert _kinds(crm, ref) == {Obligation.COMMENTS_IN}
    # The comment period still runs: the review is not decided before its date.
    assert case.reply_by == REPLY_BY and case.state == CaseState.UNDER_REVIEW.value


def test_comments_on_an_earlier_invitation_do_not_answer_a_new_one(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=REPLY_BY)
    review_session.record_comments(actors[Role.OFFICER], ref, "The restrictions are unfair",
                                   date(2026, 11, 28))
    # A later invitation on the same case (as after the first was closed) is not answered
    # by the comments on the first.
    with builders.as_the_app(ref):
        from crm_tui.db.models import ExtensionProposal
        ExtensionProposal.update(proposed_at="2099-01-01T00:00:00").where(
            ExtensionProposal.case == Case.get(Case.reference == ref)).execute()
    assert queries.dashboard(crm).replies_due == 1
    assert _kinds(crm, ref) == {Obligation.REPLY_BY}
