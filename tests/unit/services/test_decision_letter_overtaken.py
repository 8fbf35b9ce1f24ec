"""fixAB: a decision letter signed and not posted, met by a later day or a later decision.

AB1: past its last day to appeal it can no longer go, and it is written again (the next
action says so, W offers it, a new last day to appeal is counted from the new letter), the
first "superseded by N" and in no post run.

AB2, decided with the policy (every decision is told to the customer, with its right of
appeal): a later decision on the same restrictions (a variation, a lift) supersedes the
earlier decision's letter never posted. Both went in one post run, the first telling of
restrictions no longer in force with a right of appeal against a decision already replaced.
The later letter tells the customer of the earlier decision ("On 28 November 2026 we
decided to restrict …; we did not send you our letter"), and its right of appeal covers the
restrictions as they now stand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

EARLIER = ("On 28 November 2026 we decided to restrict how you can contact the council. It "
           "set restrictions on the ways you can contact us, to apply between 28 November 2026 "
           "and 28 November 2027. We did not send you our letter about that decision. The "
           "decision in this letter replaces it, so this letter tells you of both.")


def _sign(actor: Actor, ref: str, kind: LetterKind) -> int:
    return issuing.sign_and_export(actor, ref, kind, builders.database_folder() / "issued",
                                   PASSPHRASE).letter_id


def _imposed_and_signed(actors: dict[Role, Actor]) -> tuple[str, int]:
    """Restrictions imposed on TODAY, their letter signed and not posted."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    return ref, _sign(actors[Role.CRM], ref, LetterKind.DECISION)


def _action(ref: str) -> str:
    next_step.store([ref])
    return str(Case.get(Case.reference == ref).next_action)


def _waiting(actor: Actor, ref: str) -> list[int]:
    taken, _ = posting.left_out_unless_named(posting.unposted(actor, ref))
    return [u.id for u in taken]


def _status(actor: Actor, ref: str, letter_id: int) -> str:
    return next(i.shown_status for i in issuing.register(actor, ref) if i.id == letter_id)


def _text(letter_id: int) -> str:
    return " ".join(Letter.get_by_id(letter_id).body.split())


def test_past_its_last_day_to_appeal_the_decision_letter_is_written_again(
        actors: dict[Role, Actor]) -> None:
    ref, first = _imposed_and_signed(actors)
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    appeal_by = Letter.get_by_id(first).appeal_by
    day = appeal_by + timedelta(days=1)
    with clock.travel_to(datetime.combine(day, datetime.min.time()).replace(hour=10)):
        assert _action(ref) == "Sign the decision letter"
        assert LetterKind.DECISION in issuing.kinds_for(crm, ref)
        assert _waiting(officer, ref) == []
        again = _sign(crm, ref, LetterKind.DECISION)
        assert Letter.get_by_id(again).appeal_by > day
        assert "have applied since 28 November 2026" in _text(again)
        assert _action(ref) == "Post the decision letter"
        assert _waiting(officer, ref) == [again]
        assert _status(crm, ref, first) == f"superseded by {again}"
        assert LetterKind.DECISION not in issuing.kinds_for(crm, ref)  # not a third time
        posting.record_posting(officer, [again], day, "first")
        assert _action(ref) == "Review due"
        assert posting.unposted(officer, ref) == []


def test_before_its_last_day_to_appeal_it_goes_as_it_is(actors: dict[Role, Actor]) -> None:
    """AB0: two days on, the letter signed on its day still goes; nothing is written again."""
    ref, first = _imposed_and_signed(actors)
    with clock.travel_to(datetime(2026, 11, 30, 10)):
        assert _waiting(actors[Role.OFFICER], ref) == [first]
        assert LetterKind.DECISION not in issuing.kinds_for(actors[Role.CRM], ref)
        assert _action(ref) == "Review due"


def test_a_variation_supersedes_the_decision_letter_never_posted(
        actors: dict[Role, Actor]) -> None:
    ref, first = _imposed_and_signed(actors)
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    day = TODAY + timedelta(days=5)
    with clock.travel_to(datetime.combine(day, datetime.min.time()).replace(hour=10)):
        builder.redraft_in_force(crm, ref)
        decisions.vary_restrictions(crm, ref, "Shorter", DecisionTerms(
            starts_on=day, ends_on=date(2027, 10, 1)), read=builders.read(ref),
            customer_reason=TOLD)
        assert _action(ref) == "Sign the decision letter"
        # Not posted beside the variation's letter: it is no longer to go at all.
        assert _waiting(officer, ref) == []
        assert _status(crm, ref, first) == "superseded"
        varied = _sign(crm, ref, LetterKind.EXTENSION_DECISION)
        text = _text(varied)
        assert EARLIER + (" The restrictions as they now stand, and how you can appeal "
                          "against them, are set out below.") in text, text
        assert _action(ref) == "Post the decision letter"
        assert _waiting(officer, ref) == [varied]
        assert _status(crm, ref, first) == f"superseded by {varied}"
        info = next(i for i in issuing.register(crm, ref) if i.id == first)
        assert (f"the restrictions were varied on 3 Dec 2026, after this decision; the "
                f"decision letter (letter {varied}) tells the customer") in info.superseded
        posting.record_posting(officer, [varied], day, "first")
        assert _action(ref) == "Review due"
        assert posting.unposted(officer, ref) == []


def test_a_lift_supersedes_it_and_tells_of_it(actors: dict[Role, Actor]) -> None:
    ref, first = _imposed_and_signed(actors)
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    with clock.travel_to(datetime(2026, 12, 3, 10)):
        decisions.lift_restrictions(crm, ref, "No longer needed", customer_reason=TOLD)
        lifting = _sign(crm, ref, LetterKind.LIFTED)
        text = _text(lifting)
        assert EARLIER in text and "how you can appeal" not in text, text
        assert _waiting(officer, ref) == [lifting]
        assert _status(crm, ref, first) == f"superseded by {lifting}"
        posting.record_posting(officer, [lifting], date(2026, 12, 3), "first")
        assert _action(ref) == "Archive file"


def test_a_posted_decision_letter_is_not_told_again(actors: dict[Role, Actor]) -> None:
    ref, first = _imposed_and_signed(actors)
    crm = actors[Role.CRM]
    posting.record_posting(actors[Role.OFFICER], [first], TODAY, "first")
    with clock.travel_to(datetime(2026, 12, 3, 10)):
        builder.redraft_in_force(crm, ref)
        decisions.vary_restrictions(crm, ref, "Shorter", DecisionTerms(
            starts_on=date(2026, 12, 3), ends_on=date(2027, 10, 1)), read=builders.read(ref),
            customer_reason=TOLD)
        varied = _sign(crm, ref, LetterKind.EXTENSION_DECISION)
    assert "We did not send you our letter" not in _text(varied)
    assert _status(crm, ref, first) == f"posted {in_prose(clock.today())}"
