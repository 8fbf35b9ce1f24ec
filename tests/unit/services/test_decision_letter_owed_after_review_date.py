"""Issue 15 AG4: a decision letter signed, never posted and owed again (past its last day to
appeal) once the review date decided has passed dropped out of the case's next action ("Review
due" in its place) and W refused it ("the review date it would give … is already past"): the
customer was never told. As the appeal outcome letter's is (v15n AC2), it comes first, and the
letter written again says the review is held now, giving no date gone by."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import checker, record
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, offered
from crm_tui.services.restrictions import decisions
from tests import builders
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

REVIEW = date(2027, 1, 4)
AFTER = datetime(2027, 1, 20, 10)  # the review date and the letter's last day to appeal past


def _imposed_and_signed(actors: dict[Role, Actor], out: Path) -> tuple[str, int]:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    decisions.impose_restrictions(
        crm, ref, "Persistent contact", DecisionTerms(
            starts_on=TODAY, ends_on=date(2027, 11, 28), review_due=REVIEW,
            review_period_reason=ReviewPeriodReason.CIRCUMSTANCES_OF_BEHAVIOUR,
            review_period_note="Soon"), read=builders.read(ref), customer_reason=TOLD)
    letter = issuing.sign_and_export(crm, ref, LetterKind.DECISION, out, PASSPHRASE).letter_id
    return ref, letter


def _next_action(ref: str) -> str:
    next_step.store([ref])
    return str(Case.get(Case.reference == ref).next_action)


def test_the_decision_letter_owed_again_after_the_review_date_comes_before_the_review(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, first = _imposed_and_signed(actors, tmp_path / "out")
    with clock.travel_to(AFTER):
        assert _next_action(ref) == "Sign the decision letter"
        case = Case.get(Case.reference == ref)
        assert LetterKind.DECISION in offered.available(case, clock.today())
        again = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                        tmp_path / "again", PASSPHRASE).letter_id
        letter = record.loads(Letter.get_by_id(again).content)
        assert checker.past_dates(letter, clock.today()) == []
        text = " ".join(" ".join(p for _, ps in letter.sections for p in ps).split())
        assert "4 January 2027" not in text, text
        assert "we are reviewing them now" in text, text
        assert again != first
        assert _next_action(ref) == "Post the decision letter"
