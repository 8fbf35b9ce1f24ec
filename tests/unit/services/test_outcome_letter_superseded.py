"""An appeal outcome letter not yet posted that is no longer the one to send (v15l W1, W2,
W4, W6): the restrictions were lifted after the appeal (the letter lifting them tells the
customer), or it could no longer go and was signed again. It is not offered, not posted,
not "waiting", and the register says it is superseded, with why. Before: signed after the
lift it read "The restrictions that now apply are set out below" with nothing below; the
post run offered it beside (or instead of) the lifting letter; the one written again was
"waiting" for ever; and the new one was not the next thing to post."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file
from crm_tui.services.letters import issuing, offered, posting
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE


def _decided(actors: dict[Role, Actor], starts: date) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(
                              starts_on=starts, ends_on=date(2027, 11, 1)),
                          builders.read(ref), customer_reason=TOLD)
    return ref


def _sign_outcome(actors: dict[Role, Actor], ref: str, out: Path) -> int:
    return issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                   LetterKind.APPEAL_OUTCOME, out, PASSPHRASE).letter_id


def _next_action(actor: Actor, ref: str) -> str:
    next_step.store([ref])
    return case_file.case_file(actor, ref).summary.next_action


def _status(actor: Actor, ref: str, letter_id: int) -> issuing.LetterInfo:
    return next(e for e in issuing.register(actor, ref) if e.id == letter_id)


def test_after_the_lift_no_outcome_letter_is_offered(
        actors: dict[Role, Actor]) -> None:
    ref = _decided(actors, date(2027, 6, 18))
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    refusal = offered.refusal(case, LetterKind.APPEAL_OUTCOME, clock.today())
    assert refusal is not None and "lifted" in refusal and "after the appeal" in refusal
    assert LetterKind.APPEAL_OUTCOME not in offered.available(case, clock.today())
    assert _next_action(actors[Role.CRM], ref) == "Sign the letter lifting the restrictions"


def test_an_outcome_letter_signed_before_the_lift_is_superseded_by_it(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _decided(actors, date(2027, 6, 18))
    outcome = _sign_outcome(actors, ref, tmp_path / "out")
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    assert _next_action(actors[Role.CRM], ref) == "Sign the letter lifting the restrictions"
    assert outcome not in {u.id for u in posting.unposted(actors[Role.OFFICER])}
    info = _status(actors[Role.CRM], ref, outcome)
    assert info.shown_status == "superseded"
    assert "the letter lifting them, still to be signed, tells the customer" in info.superseded
    lifting = builders.sign_lifted(actors[Role.CRM], ref)
    assert _next_action(actors[Role.CRM], ref) == "Post the letter lifting the restrictions"
    assert [u.id for u in posting.unposted(actors[Role.OFFICER], ref)] == [lifting]
    assert f"(letter {lifting}) tells the customer" in _status(
        actors[Role.CRM], ref, outcome).superseded


def test_the_letter_written_again_is_posted_and_the_first_is_superseded(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _decided(actors, date(2026, 12, 1))
    first = _sign_outcome(actors, ref, tmp_path / "out")
    with clock.travel_to(datetime(2026, 12, 2, 10)):
        assert _next_action(actors[Role.CRM], ref) == "Sign the appeal outcome letter"
        again = _sign_outcome(actors, ref, tmp_path / "again")
        # v15l W4: it went to "Review due" while the customer had not been told.
        assert _next_action(actors[Role.CRM], ref) == "Post the appeal outcome letter"
        # v15l W6: the first one was "waiting" (and "cannot go") for ever.
        assert [u.id for u in posting.unposted(actors[Role.OFFICER])
                if u.reference == ref] == [again]
        assert _status(actors[Role.CRM], ref, first).shown_status == f"superseded by {again}"
        posting.record_posting(actors[Role.OFFICER], [again], clock.today(), "first")
        assert not [u for u in posting.unposted(actors[Role.OFFICER]) if u.reference == ref]
        assert _next_action(actors[Role.CRM], ref).startswith("Review due")
        assert _status(actors[Role.CRM], ref, first).shown_status == f"superseded by {again}"
