"""A review cannot pass over an extension proposal still open for the customer's comments:
continuing unchanged (or with a changed review period) waits until the date for comments
has passed; then it closes the proposal on the record."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import queries
from crm_tui.services.reviews import review_session
from tests import builders


def _proposed(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17))
    return ref


def test_continuing_while_comments_are_awaited_is_refused_on_every_path(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = _proposed(actors)
    why = review_session.refusal(crm, ref, Action.CONTINUE_UNCHANGED)
    assert "until 17 Dec 2026" in why and "lifted now" in why
    with pytest.raises(RequirementMissing, match="17 Dec 2026"):
        review_session.continue_unchanged(crm, ref, "Still writing daily")
    with pytest.raises(RequirementMissing, match="17 Dec 2026"):
        review_session.change_review_period(crm, ref, "Still writing", date(2027, 5, 28),
                                            ReviewPeriodReason.PERSONAL_CIRCUMSTANCES, "")
    case = Case.get(Case.reference == ref)
    assert case.state == CaseState.UNDER_REVIEW.value and case.reply_by == date(2026, 12, 17)


def test_continuing_after_the_date_closes_the_proposal(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = _proposed(actors)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-17T10:00:00")  # the last day for comments
    assert queries.dashboard(crm).replies_due == 1
    assert review_session.refusal(crm, ref, Action.CONTINUE_UNCHANGED)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")
    assert review_session.refusal(crm, ref, Action.CONTINUE_UNCHANGED) == ""
    review_session.continue_unchanged(crm, ref, "No comments; the behaviour goes on")
    case = Case.get(Case.reference == ref)
    assert case.state == CaseState.RESTRICTED.value and case.reply_by is None
    closed = AuditEntry.get((AuditEntry.case_reference == ref)
                            & (AuditEntry.action == "close_extension_proposal"))
    assert "continued unchanged" in closed.payload
    assert queries.dashboard(crm).replies_due == 0
    # The next review cannot extend on the old, closed proposal.
    assert "invited to comment" in review_session.refusal(crm, ref,
                                                          Action.EXTEND_RESTRICTIONS)
