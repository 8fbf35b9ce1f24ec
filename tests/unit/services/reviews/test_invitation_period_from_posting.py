"""fixAL AL4: an invitation to comment signed and not posted until days later, or never posted
by the day for comments it gives, still counted as issued from its signing: an extension could
be decided though the customer never had the time. Chosen: the comment period runs from the
invitation's posting (the least time, `reply_by_days`, from the day it went; never less than
the day it gives); one not posted by the day for comments it gives can no longer go, and, as
one to a former address (fixAJ), is owed again with a new day for comments: it does not count
as issued, the next action is to sign it, W offers it, the extension is refused saying why.

The suite's clock: Saturday 28 November 2026. The proposal gives 17 December 2026 (14 working
days from then), and the invitation is signed that day."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case, Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters.wording import day
from crm_tui.services.core import comments_in
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, posting
from crm_tui.services.reviews import review_session, review_steps
from tests import builders
from tests.builders import TOLD

GIVEN = date(2026, 12, 17)
LATER = date(2027, 1, 15)
TERMS = DecisionTerms(starts_on=date(2027, 1, 4), ends_on=date(2028, 11, 28))


def _signed_not_posted(actors: dict[Role, Actor]) -> tuple[str, int]:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    return ref, builders.sign_invitation(actors[Role.CRM], ref, post=False)


def _extend(actor: Actor, ref: str) -> None:
    review_steps.extend_restrictions(actor, ref, "Letters went on", TERMS,
                                     read=builders.read(ref), customer_reason=TOLD)


def _case(ref: str) -> Case:
    return Case.get(Case.reference == ref)


def test_posted_days_after_signing_the_period_runs_from_the_posting(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    # The proposal gives a later day than the least (15 January 2027): posted days after
    # its signing, the invitation still leaves the customer the reply-by period (issue 15 AO1).
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=LATER, sign=False)
    letter = builders.sign_invitation(actors[Role.CRM], ref, post=False)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-07T10:00:00")  # a Monday: posted then
    posting.record_posting(actors[Role.CRM], [letter], date(2026, 12, 7), "first")
    case = _case(ref)
    assert comments_in.issued_on(case) == date(2026, 12, 7)
    # 14 working days from the posting (Christmas and Boxing Day's holiday skipped) is 29
    # December: the day the letter gives is later, and stands.
    assert comments_in.period_from(date(2026, 12, 7)) == date(2026, 12, 29)
    assert comments_in.comments_by(case) == LATER
    assert review_session.facts(actors[Role.CRM], ref).issued_on == date(2026, 12, 7)
    monkeypatch.setenv("CRM_TUI_NOW", "2027-01-04T10:00:00")  # before the date it gave
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=TERMS.ends_on)
    with pytest.raises(RequirementMissing, match="until 15 January 2027 to comment"):
        _extend(actors[Role.CRM], ref)


def test_never_posted_by_its_date_it_is_owed_again(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref, letter = _signed_not_posted(actors)
    crm = actors[Role.CRM]
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")  # the day after the date given
    [waiting] = posting.unposted(crm, ref)
    assert waiting.id == letter and "17 December 2026" in waiting.cannot_go
    case = _case(ref)
    assert comments_in.issued_on(case) is None
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=TERMS.ends_on)
    with pytest.raises(RequirementMissing, match="invitation to comment has not been issued") \
            as refused:
        _extend(crm, ref)
    assert ("sign it again, with a new day for comments (the one signed was never posted: "
            in str(refused.value)), refused.value
    from crm_tui.services.core import next_step

    next_step.store([ref])
    assert _case(ref).next_action == "Sign the invitation to comment"
    assert LetterKind.INVITATION in issuing.kinds_for(crm, ref)
    again = builders.sign_invitation(crm, ref)  # signed and posted on the 18th
    assert again != letter
    # It gives a new day for comments: the reply-by period from the day it went.
    new_day = comments_in.period_from(date(2026, 12, 18))
    assert f"by {day(new_day)}" in " ".join(str(Letter.get_by_id(again).body).split())
    case = _case(ref)
    assert comments_in.issued_on(case) == date(2026, 12, 18)
    assert comments_in.comments_by(case) == comments_in.period_from(date(2026, 12, 18))
