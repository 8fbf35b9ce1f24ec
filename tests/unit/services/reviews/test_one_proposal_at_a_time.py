"""Round 9: a second extension proposal was accepted while the first was still open for the
customer's comments (two undecided proposals, the date the customer was given dropped), and a
proposal counted the case as reviewed."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case, ExtensionProposal
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.reviews import review_session, review_steps
from tests import builders


def test_no_second_proposal_while_the_first_is_open_for_comments(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17))
    why = review_session.refusals(crm, ref)["extend"]
    assert "until 17 Dec 2026" in why and "no second proposal" in why
    assert "lift" not in review_session.refusals(crm, ref)  # lifting needs no wait
    for again in (lambda: review_session.propose_extension(
                      crm, ref, "More letters", date(2026, 12, 24), date(2028, 12, 28),
                      customer_reason=builders.TOLD),
                  lambda: review_steps.propose_extension(
                      crm, ref, "More letters", date(2026, 12, 24), ends_on=date(2028, 12, 28),
                      customer_reason=builders.TOLD)):
        with pytest.raises(RequirementMissing, match="no second proposal"):
            again()
    assert ExtensionProposal.select().count() == 1
    assert Case.get(Case.reference == ref).reply_by == date(2026, 12, 17)
    # After the date for comments a new proposal may supersede it.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")
    assert review_session.refusal(crm, ref, Action.PROPOSE_EXTENSION) == ""


def test_a_proposal_in_a_session_awaits_comments_and_is_not_counted_reviewed(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    refs = [builders.at_state(actors, state)
            for state in (CaseState.UNDER_REVIEW, CaseState.RESTRICTED)]
    for n, ref in enumerate(refs):
        with builders.as_the_app(ref):
            Case.update(review_due=date(2026, 12, 1 + n)).where(Case.reference == ref).execute()
    info = review_session.start(crm, date(2026, 12, 31))
    builders.propose(actors, refs[0])
    info = review_session.move_to(crm, info.id, info.next_open(refs[0]))
    assert info.tally() == "0 cases reviewed, 1 awaiting comments, 0 skipped, 1 left"
    review_session.lift(crm, refs[1], "Behaviour has subsided", False,
                        customer_reason=builders.TOLD)
    done = review_session.move_to(crm, info.id, 2)
    assert done.tally() == "1 case reviewed, 1 awaiting comments, 0 skipped, 0 left"
    assert done.last_skipped() is None
