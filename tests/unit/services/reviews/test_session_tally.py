"""A review session says truthfully how many cases were reviewed, skipped and left."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.reviews import review_session
from tests import builders


def test_one_reviewed_and_the_rest_skipped_is_said_so(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    refs = [builders.at_state(actors, CaseState.RESTRICTED) for _ in range(3)]
    for n, ref in enumerate(refs):
        with builders.as_the_app(ref):
            Case.update(review_due=date(2026, 12, 1 + n)).where(Case.reference == ref).execute()
    info = review_session.start(crm, date(2026, 12, 31))
    assert info.tally() == "0 cases reviewed, 0 skipped, 3 left"
    review_session.continue_unchanged(crm, refs[0], "Still writing daily")
    info = review_session.move_to(crm, info.id, 1)
    assert info.tally() == "1 case reviewed, 0 skipped, 2 left"
    info = review_session.move_to(crm, info.id, 2)  # the second passed over
    assert info.tally() == "1 case reviewed, 1 skipped, 1 left"
    done = review_session.move_to(crm, info.id, 3)
    assert done.current is None
    assert done.tally() == "1 case reviewed, 2 skipped, 0 left"
    # going back and reviewing a skipped one counts it, wherever the session stands
    review_session.lift(crm, refs[1], "Behaviour has subsided", False,
                        customer_reason=builders.TOLD)
    assert review_session.move_to(crm, info.id, 3).tally() == ("2 cases reviewed, 1 skipped, "
                                                               "0 left")


def test_only_the_crm_holds_review_sessions(actors: dict[Role, Actor]) -> None:
    import pytest

    from crm_tui.domain.errors import PermissionDenied

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):
        Case.update(review_due=date(2026, 12, 1)).where(Case.reference == ref).execute()
    for role in (Role.HEAD_OF_SERVICE, Role.OFFICER, Role.SERVICE_DIRECTOR):
        assert "may not hold review sessions" in review_session.refused(actors[role])
        with pytest.raises(PermissionDenied, match="hold review sessions"):
            review_session.start(actors[role], date(2026, 12, 31))
    assert review_session.refused(actors[Role.CRM]) == ""
    assert review_session.start(actors[Role.CRM], date(2026, 12, 31)).references == [ref]


def test_comments_are_recorded_only_on_a_proposal_that_invites_them(
        actors: dict[Role, Actor]) -> None:
    """Round 8: `m` was offered, and comments recorded, on a case with no proposal."""
    import pytest

    from crm_tui.db.models import CaseNote
    from crm_tui.domain.errors import RequirementMissing

    officer, crm = actors[Role.OFFICER], actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    assert "no proposal" in review_session.refusals(officer, ref)["comments"]
    with pytest.raises(RequirementMissing, match="no proposal"):
        review_session.record_comments(officer, ref, "I disagree", date(2026, 11, 27))
    assert CaseNote.select().count() == 0
    builders.propose(actors, ref)
    assert "comments" not in review_session.refusals(crm, ref)
    review_session.record_comments(officer, ref, "I disagree", date(2026, 11, 28))
    assert CaseNote.select().where(CaseNote.kind == review_session.COMMENTS).count() == 1


def test_a_proposal_whose_invitation_is_unsigned_is_an_invitation_to_sign(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """Found when tried: a proposal whose invitation to comment was not yet signed was
    counted "awaiting comments", though the customer had not been asked for any."""
    crm = actors[Role.CRM]
    refs = [builders.at_state(actors, CaseState.RESTRICTED) for _ in range(2)]
    for n, ref in enumerate(refs):
        with builders.as_the_app(ref):
            Case.update(review_due=date(2026, 12, 1 + n)).where(Case.reference == ref).execute()
    info = review_session.start(crm, date(2026, 12, 31))
    review_session.open_for_view(crm, refs[0])  # proposed at the review, in the session
    builders.propose(actors, refs[0], sign=False)  # comments by 17 Dec 2026
    info = review_session.move_to(crm, info.id, info.next_open(refs[0]))
    assert info.tally() == "0 cases reviewed, 1 invitation to sign, 0 skipped, 1 left"
    builders.sign_invitation(crm, refs[0])
    info = review_session.move_to(crm, info.id, info.position)
    assert info.tally() == "0 cases reviewed, 1 awaiting comments, 0 skipped, 1 left"
    # Once the date for comments has passed nothing is awaited: the review is to be decided.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")
    info = review_session.move_to(crm, info.id, info.position)
    assert info.tally() == "0 cases reviewed, 1 skipped, 1 left"


def test_a_new_session_counts_nothing_reviewed_before_it_started(
        actors: dict[Role, Actor]) -> None:
    """fixAH AH5: at a frozen clock (every step at the same second), a session started after
    an outcome recorded in an earlier session said "1 case reviewed" before anything was done
    in it: the outcomes were counted from the session's time, not from its start."""
    crm = actors[Role.CRM]
    refs = [builders.at_state(actors, CaseState.RESTRICTED) for _ in range(2)]
    for n, ref in enumerate(refs):
        with builders.as_the_app(ref):
            Case.update(review_due=date(2026, 12, 1 + n)).where(Case.reference == ref).execute()
    until = date(2028, 12, 31)  # the next review of a case continued is due by then too
    first = review_session.start(crm, until)
    review_session.continue_unchanged(crm, refs[0], "Still writing daily")
    assert review_session.move_to(crm, first.id, 1).tally() == (
        "1 case reviewed, 0 skipped, 1 left")
    again = review_session.start(crm, until)
    assert set(again.references) == set(refs)
    assert again.tally() == "0 cases reviewed, 0 skipped, 2 left"
    # Nor is the review refused as decided already "during this session".
    assert review_session.decided_already(crm, refs[0]) == ""
    review_session.continue_unchanged(crm, refs[1], "Still writing daily")
    now = review_session.unfinished(crm)
    assert now is not None and now.tally() == "1 case reviewed, 0 skipped, 1 left"
