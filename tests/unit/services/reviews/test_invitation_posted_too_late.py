"""Issue 15 AO1, AO2: an invitation to comment could be posted on the very day for comments it
gives (the customer could not comment in time), and one that could no longer go still showed
"Customer's comments due" by its old day everywhere (the inbox, the case, `cases`, Home's
"replies awaited", the calendar) while W offered it again.

Chosen with the policy's least time to comment (the reply-by period, `reply_by_days`, counted
as every reply-by deadline is): an invitation goes only while the day for comments it gives
leaves the customer that period from the day it goes. A signed letter never changes: one that
cannot go is refused at posting and owed again (fixAL AL4), and the case's next action is to
sign it again, due that day (issue 15 AS3; it was due on the day the new one would give).

The suite's clock: Saturday 28 November 2026. The proposal gives 17 December 2026 (14 working
days from then), and the invitation is signed that day, not posted."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import comments_in, next_step
from crm_tui.services.intake import queries
from crm_tui.services.letters import posting
from crm_tui.services.reviews import calendar
from tests import builders

GIVEN = date(2026, 12, 17)


def _signed_not_posted(actors: dict[Role, Actor]) -> tuple[str, int]:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=GIVEN, sign=False)
    return ref, builders.sign_invitation(actors[Role.CRM], ref, post=False)


def test_posted_on_the_day_for_comments_it_gives_is_refused(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref, letter = _signed_not_posted(actors)
    crm = actors[Role.CRM]
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-17T10:00:00")  # the day it gives
    [waiting] = posting.unposted(crm, ref)
    assert "17 December 2026 as the last day for comments" in waiting.cannot_go, waiting
    with pytest.raises(ValidationError) as refused:
        posting.record_posting(crm, [letter], date(2026, 12, 17), "first")
    said = str(refused.value)
    assert "less than the 14 working days the customer is given to comment" in said, said
    assert "write the invitation to comment again from the case's letters (W)" in said, said


def test_posted_a_day_after_signing_it_leaves_less_than_the_period_and_is_refused(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref, letter = _signed_not_posted(actors)
    crm = actors[Role.CRM]
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30T10:00:00")  # the Monday after
    with pytest.raises(ValidationError, match="at least 18 December 2026"):
        posting.record_posting(crm, [letter], date(2026, 11, 30), "first")
    # Recorded as posted the day it was signed (it went then), it leaves the whole period.
    posting.record_posting(crm, [letter], date(2026, 11, 28), "first")
    assert comments_in.issued_on(Case.get(Case.reference == ref)) == date(2026, 11, 28)


def test_one_that_can_no_longer_go_is_to_sign_again_everywhere(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    ref, _ = _signed_not_posted(actors)
    crm = actors[Role.CRM]
    case = Case.get(Case.reference == ref)
    # Signed, not posted: it is to be posted by the last day it can go (issue 15 AS3; posted
    # on Sunday 29th, the 14 working days still run to 17 December).
    assert (case.next_action, case.next_action_due) == ("Post the invitation to comment",
                                                        date(2026, 11, 29))
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30T10:00:00")
    before = queries.dashboard(crm)
    # Opening the database the next day works the stored next action out again.
    assert next_step.refresh_letters_owed() >= 1
    case = Case.get(Case.reference == ref)
    new_day = comments_in.period_from(date(2026, 11, 30))
    assert new_day == date(2026, 12, 18)
    # Due today, not on the old day, nor on the day the one signed today would give, which
    # read as if there were until then to sign (issue 15 AS3): that is what it gives.
    assert (case.next_action, case.next_action_due) == ("Sign the invitation to comment",
                                                        date(2026, 11, 30))
    assert comments_in.given_again(case) == new_day
    counts = queries.dashboard(crm)
    assert counts.letters_owed == before.letters_owed + 1
    # No reply awaited either way: signed and not posted, it was to be posted (issue 15 AS3).
    assert counts.replies_due == before.replies_due
    [row] = [s for s in queries.list_cases(crm) if s.reference == ref]
    assert row.next_action == "Sign the invitation to comment"
    found = [i for i in calendar.items(crm, date(2026, 11, 1), date(2026, 12, 31))
             if i.reference == ref]
    assert [(i.kind, i.day) for i in found
            if i.kind in (calendar.Obligation.REPLY_BY, calendar.Obligation.INVITATION)] == [
        (calendar.Obligation.INVITATION, date(2026, 11, 30))], found
    assert calendar.Obligation.INVITATION.label == "Sign the invitation to comment"
