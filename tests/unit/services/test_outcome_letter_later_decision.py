"""An appeal outcome letter signed and not posted, then a later decision on the restrictions
(v15m-2, v15m-3): a variation, like a lift, supersedes it. The later decision's letter is the
one the customer is sent, and it tells them the appeal's result, which the outcome letter
would have. Before: after a variation both letters went in one post run (the outcome saying
the restrictions start on 3 December, the variation on 5 December); once the outcome letter
could not go, the next action was "Review due", and writing it again described the variation
as the appeal's decision."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file
from crm_tui.services.letters import issuing, letter_content, offered, posting
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

AMENDED = DecisionTerms(starts_on=date(2026, 12, 3), ends_on=date(2027, 11, 1))
VARIED = DecisionTerms(starts_on=date(2026, 12, 5), ends_on=date(2027, 11, 1))


def _outcome_signed(actors: dict[Role, Actor], out: Path) -> tuple[str, int]:
    ref = builders.appeal_amended(actors, AMENDED.starts_on, AMENDED.ends_on)
    outcome = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                      LetterKind.APPEAL_OUTCOME, out, PASSPHRASE).letter_id
    return ref, outcome


def _varied(actors: dict[Role, Actor], ref: str) -> None:
    builder.redraft_in_force(actors[Role.CRM], ref)
    decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later", VARIED,
                                read=builders.read(ref), customer_reason=TOLD)


def _next_action(actor: Actor, ref: str) -> str:
    next_step.store([ref])
    return case_file.case_file(actor, ref).summary.next_action


def _text(ref: str, kind: LetterKind) -> str:
    sections = letter_content.sections_for(Case.get(Case.reference == ref), kind)
    return "\n".join(f"{head}\n" + "\n".join(paras) for head, paras in sections)


def _status(actor: Actor, ref: str, letter_id: int) -> issuing.LetterInfo:
    return next(e for e in issuing.register(actor, ref) if e.id == letter_id)


def test_a_variation_supersedes_the_outcome_letter_not_posted(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, outcome = _outcome_signed(actors, tmp_path / "out")
    _varied(actors, ref)
    crm = actors[Role.CRM]
    assert _next_action(crm, ref) == "Sign the decision letter"
    info = _status(crm, ref, outcome)
    assert info.shown_status == "superseded"
    assert ("the restrictions were varied on 28 Nov 2026, after the appeal; the "
            "decision letter, still to be signed, tells the customer") in info.superseded
    assert outcome not in {u.id for u in posting.unposted(actors[Role.OFFICER])}
    varied = issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION, tmp_path / "v",
                                     PASSPHRASE).letter_id
    # One letter in the post run, the variation's: not two that contradict.
    assert [u.id for u in posting.unposted(actors[Role.OFFICER], ref)] == [varied]
    assert _next_action(crm, ref) == "Post the decision letter"
    info = _status(crm, ref, outcome)
    assert info.shown_status == f"superseded by {varied}"
    assert f"the decision letter (letter {varied}) tells the customer" in info.superseded
    with clock.travel_to(datetime(2026, 12, 4, 10)):
        # The outcome letter can no longer go: it is not owed again, the variation's is
        # what the customer is sent.
        case = Case.get(Case.reference == ref)
        refusal = offered.refusal(case, LetterKind.APPEAL_OUTCOME, clock.today())
        assert refusal is not None and "varied" in refusal, refusal
        assert _next_action(crm, ref) == "Post the decision letter"
        waiting = posting.unposted(actors[Role.OFFICER], ref)
        assert [u.id for u in waiting] == [varied] and not waiting[0].cannot_go


def test_the_variation_letter_tells_the_appeal_result(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, _ = _outcome_signed(actors, tmp_path / "out")
    _varied(actors, ref)
    text = _text(ref, LetterKind.EXTENSION_DECISION)
    assert "Your appeal" in text
    # Varied before the day they were to start: they never took effect.
    assert "They took effect" not in text and "Until then, no restrictions were to apply." in text
    assert "We decided your appeal on 28 November 2026" in text, text
    assert "were to take effect on 3 December 2026" in text, text


def test_the_lifting_letter_tells_the_appeal_result(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, _ = _outcome_signed(actors, tmp_path / "out")
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    text = _text(ref, LetterKind.LIFTED)
    assert "We decided your appeal on 28 November 2026" in text, text
    assert "were to take effect on 3 December 2026" in text, text
    # v15n 6: who decided it, why, and the Ombudsman, as the outcome letter would have said.
    appeal_told = text.split("Your appeal\n", 1)[1].split("What we have decided", 1)[0]
    assert "Your appeal was decided by" in appeal_told and TOLD in appeal_told, appeal_told
    assert "Local Government and Social Care Ombudsman" in text, text


def test_lifted_once_started_the_letter_says_they_applied(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, _ = _outcome_signed(actors, tmp_path / "out")
    with clock.travel_to(datetime(2026, 12, 4, 10)):
        decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
        text = _text(ref, LetterKind.LIFTED)
    assert "the changed restrictions took effect on 3 December 2026.\n" in text, text
    assert "were to take effect" not in text


def test_an_outcome_letter_posted_is_not_told_again(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, outcome = _outcome_signed(actors, tmp_path / "out")
    posting.record_posting(actors[Role.OFFICER], [outcome], clock.today(), "first")
    _varied(actors, ref)
    assert "We decided your appeal on" not in _text(ref, LetterKind.EXTENSION_DECISION)
    shown = _status(actors[Role.CRM], ref, outcome).shown_status
    assert shown == f"posted {in_prose(clock.today())}"


def test_an_outcome_draft_prepared_before_the_lift_is_listed_superseded(
        actors: dict[Role, Actor]) -> None:
    """v15m minor: prepared, not signed, it stayed "waiting to be signed" after the lift, and
    was refused only once the passphrase was given. v15n AC3: it is not waiting at all; the
    register lists it, superseded."""
    ref = builders.appeal_amended(actors, AMENDED.starts_on, AMENDED.ends_on)
    issuing.prepare(actors[Role.SERVICE_DIRECTOR], ref, LetterKind.APPEAL_OUTCOME)
    draft = next(e for e in issuing.drafts(actors[Role.SERVICE_DIRECTOR])
                 if e.reference == ref)
    assert draft.shown_status == "draft" and not draft.superseded
    decisions.lift_restrictions(actors[Role.CRM], ref, TOLD, customer_reason=TOLD)
    assert not [e for e in issuing.drafts(actors[Role.SERVICE_DIRECTOR]) if e.reference == ref]
    draft = next(e for e in issuing.register(actors[Role.SERVICE_DIRECTOR], ref)
                 if e.id == draft.id)
    assert draft.shown_status == "superseded"
    assert draft.superseded.startswith("the restrictions were lifted on 28 Nov 2026, after "
                                       "the appeal"), draft.superseded
