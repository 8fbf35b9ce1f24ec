"""A review of restrictions decided on appeal to start on a later day (v15n AC1, AC2): the
invitation to comment sent before they start says none apply until then, not "the
restrictions you have now"; and an appeal outcome letter not posted that can no longer go is
owed again once the review date has passed too — the next action asks for it before "Review
due", and the letter written again says the review is being held now, not "by" a day past."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file
from crm_tui.services.letters import issuing, letter_content, offered
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import appeals, review_steps
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

STARTS = date(2026, 12, 3)
REVIEW = date(2026, 12, 5)
AFTER_REVIEW = datetime(2026, 12, 6, 10)
SHORTER = ReviewPeriodReason.CIRCUMSTANCES_OF_BEHAVIOUR


def _outcome_signed(actors: dict[Role, Actor], out: Path) -> str:
    """The tester's base: upheld in part to start on 3 December, reviewed by 5 December; the
    outcome letter signed on 28 November and not posted."""
    from crm_tui.domain.outcomes import AppealOutcome

    ref = builders.appealed(actors)  # the decision letter posted, then appealed
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(starts_on=STARTS,
                                                          ends_on=date(2027, 11, 1),
                                                          review_due=REVIEW,
                                                          review_period_reason=SHORTER,
                                                          review_period_note="Soon"),
                          builders.read(ref), customer_reason=TOLD)
    issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref, LetterKind.APPEAL_OUTCOME,
                            out, PASSPHRASE)
    return ref


def _propose(actors: dict[Role, Actor], ref: str) -> None:
    crm = actors[Role.CRM]
    review_steps.start_review(crm, ref)
    builder.redraft_in_force(crm, ref)
    review_steps.propose_extension(crm, ref, "Still needed", ends_on=date(2028, 11, 1),
                                   customer_reason=TOLD)


def _text(ref: str, kind: LetterKind) -> str:
    sections = letter_content.sections_for(Case.get(Case.reference == ref), kind)
    return "\n".join(f"{head}\n" + "\n".join(paras) for head, paras in sections)


def _next_action(actor: Actor, ref: str) -> str:
    next_step.store([ref])
    return case_file.case_file(actor, ref).summary.next_action


def test_the_invitation_before_the_restrictions_start_says_none_apply_until_then(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _outcome_signed(actors, tmp_path / "out")
    _propose(actors, ref)
    text = _text(ref, LetterKind.INVITATION)
    assert "you have now" not in text
    assert "stay as they are" not in text
    assert ("One year longer than the restrictions we have already decided, which start on "
            "3 December 2026.").lower() in text.lower()
    assert ("No restrictions apply to you until 3 December 2026. From then until we decide, "
            "the restrictions we have already decided apply, and you can contact us in these "
            "ways.") in text
    signed = builders.sign_invitation(actors[Role.CRM], ref)
    assert signed


def test_the_invitation_once_they_apply_still_says_the_restrictions_you_have_now(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _outcome_signed(actors, tmp_path / "out")
    with clock.travel_to(datetime(2026, 12, 3, 10)):
        _propose(actors, ref)
        text = _text(ref, LetterKind.INVITATION)
    assert "The restrictions you have now stay as they are until we decide." in text
    assert "No restrictions apply" not in text


def test_the_outcome_letter_owed_again_after_the_review_date_comes_before_the_review(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _outcome_signed(actors, tmp_path / "out")
    gareth = actors[Role.SERVICE_DIRECTOR]
    with clock.travel_to(AFTER_REVIEW):
        assert _next_action(actors[Role.CRM], ref) == "Sign the appeal outcome letter"
        case = Case.get(Case.reference == ref)
        assert LetterKind.APPEAL_OUTCOME in offered.available(case, clock.today())
        text = _text(ref, LetterKind.APPEAL_OUTCOME)
        assert "5 December 2026" not in text
        assert "We are reviewing them now" in text
        again = issuing.sign_and_export(gareth, ref, LetterKind.APPEAL_OUTCOME,
                                        tmp_path / "again", PASSPHRASE)
        assert again.letter_id
        assert _next_action(actors[Role.CRM], ref) == "Post the appeal outcome letter"


def test_after_a_proposal_the_outcome_letter_written_again_gives_no_review_date_past(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _outcome_signed(actors, tmp_path / "out")
    _propose(actors, ref)
    with clock.travel_to(AFTER_REVIEW):
        assert _next_action(actors[Role.CRM], ref) == "Sign the appeal outcome letter"
        text = _text(ref, LetterKind.APPEAL_OUTCOME)
        assert "We will now review the restrictions by" not in text
        # Said once, where the letter tells how long they last (AF5: twice before).
        assert text.count("We are reviewing") == 1, text
        assert "The review date was" in text, text
        signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                         LetterKind.APPEAL_OUTCOME, tmp_path / "again",
                                         PASSPHRASE)
        assert signed.letter_id

