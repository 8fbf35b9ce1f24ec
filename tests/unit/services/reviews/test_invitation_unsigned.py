"""v15e F13: a proposed extension tells the customer nothing until its invitation to comment
is signed. Until then every screen says the invitation is to be signed, not that comments
are awaited; and the extension is never decided on "no comments" from a customer never
invited, nor before the time the invitation gives them from the day it was issued."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file, queries
from crm_tui.services.reviews import review_steps
from tests import builders
from tests.builders import TOLD

TERMS = DecisionTerms(starts_on=date(2026, 12, 28), ends_on=date(2028, 11, 28))


def _extend(actors: dict[Role, Actor], ref: str, terms: DecisionTerms = TERMS) -> None:
    review_steps.extend_restrictions(actors[Role.CRM], ref, "Letters went on", terms,
                                     read=builders.read(ref), customer_reason=TOLD)


def test_until_signed_the_next_step_is_to_sign_the_invitation(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    before = queries.dashboard(actors[Role.CRM])
    builders.propose(actors, ref, sign=False)  # proposed 28 Nov 2026, comments by 17 Dec
    case = Case.get(Case.reference == ref)
    # Due when the letter would be late (14 days after the proposal), before the date it gives.
    assert (case.next_action, case.next_action_due) == ("Sign the invitation to comment",
                                                        date(2026, 12, 12))
    counts = queries.dashboard(actors[Role.CRM])
    assert counts.replies_due == before.replies_due  # no reply awaited from anyone asked
    assert counts.letters_owed == before.letters_owed + 1
    titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
    proposed = [t for t in titles if t.startswith("Extension proposed")]
    assert len(proposed) == 1 and proposed[0].startswith(
        "Extension proposed, replies asked for by 17 Dec 2026: the customer is told once the "
        "invitation to comment is signed"), proposed
    assert "told why" not in proposed[0]
    builders.sign_invitation(actors[Role.CRM], ref)
    case = Case.get(Case.reference == ref)
    assert (case.next_action, case.next_action_due) == ("Customer's comments due",
                                                        date(2026, 12, 17))
    assert queries.dashboard(actors[Role.CRM]).replies_due == before.replies_due + 1


def test_no_extension_on_no_comments_from_a_customer_never_invited(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, sign=False)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-28T10:00:00")  # long after 17 Dec
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    with pytest.raises(RequirementMissing, match="invitation to comment has not been issued"):
        _extend(actors, ref)
    assert Case.get(Case.reference == ref).state == CaseState.UNDER_REVIEW.value


def test_an_invitation_signed_late_gives_the_customer_the_full_period_from_its_issue(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, sign=False)  # comments by 17 Dec 2026
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-10T10:00:00")
    builders.sign_invitation(actors[Role.CRM], ref)  # a week before the date it gives
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-20T10:00:00")
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    with pytest.raises(RequirementMissing) as refused:
        _extend(actors, ref)
    # 14 working days from Thu 10 Dec: Christmas Day, Boxing Day's Monday and New Year's
    # Day are not counted.
    assert ("The customer has until 4 January 2027 to comment on the proposal (the "
            "invitation went to them on 10 December 2026: they are given 14 working days from "
            "then)") in str(refused.value)
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-05T10:00:00")
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    _extend(actors, ref, DecisionTerms(starts_on=date(2027, 1, 5), ends_on=date(2028, 11, 28)))
    assert Case.get(Case.reference == ref).state == CaseState.RESTRICTED.value
