"""An appeal outcome letter telling of restrictions that start on a later day, signed and not
posted by that day (v15k S): it can no longer go (posted on the start day it reaches the
customer after they started, though it says "Until then, no restrictions apply"), and the
customer is still owed the outcome. The next action says so ("Sign the appeal outcome
letter", not the review), and a new outcome letter can be written, true on the day it goes.
Before, the next action moved on to the review and nothing new could be written."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.letters import record
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.intake import case_file
from crm_tui.services.letters import issuing, offered, posting
from crm_tui.services.reviews import appeals
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

STARTS = date(2027, 2, 1)


def _signed_not_posted(actors: dict[Role, Actor], out: Path) -> tuple[str, int]:
    ref = builders.appealed(actors)  # the decision letter posted, then appealed
    builders.draft(actors, ref, by=Role.CRM)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                          "Upheld in part", DecisionTerms(
                              starts_on=STARTS, ends_on=date(2027, 11, 1)),
                          builders.read(ref), customer_reason=TOLD)
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME, out, PASSPHRASE)
    return ref, signed.letter_id


def _next_action(actor: Actor, ref: str) -> str:
    next_step.store([ref])  # as opening the database does (refresh_letters_owed)
    return case_file.case_file(actor, ref).summary.next_action


def test_the_day_before_the_start_the_letter_still_goes(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, letter_id = _signed_not_posted(actors, tmp_path / "out")
    with clock.travel_to(datetime(2027, 1, 31, 10)):
        assert _next_action(actors[Role.CRM], ref) == "Post the appeal outcome letter"
        [waiting] = posting.unposted(actors[Role.OFFICER], ref)
        assert waiting.id == letter_id and waiting.cannot_go == ""


def test_on_the_start_day_it_cannot_go_and_the_outcome_is_still_owed(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, _ = _signed_not_posted(actors, tmp_path / "out")
    with clock.travel_to(datetime(2027, 2, 1, 10)):
        [waiting] = posting.unposted(actors[Role.OFFICER], ref)
        assert "1 February 2027, today, as the day the restrictions start" in waiting.cannot_go
        assert _next_action(actors[Role.CRM], ref) == "Sign the appeal outcome letter"
        assert LetterKind.APPEAL_OUTCOME in offered.available(Case.get(Case.reference == ref),
                                                               clock.today())


def test_after_the_start_a_new_outcome_letter_is_written_true_on_its_day(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, letter_id = _signed_not_posted(actors, tmp_path / "out")
    with clock.travel_to(datetime(2027, 2, 2, 10)):
        [waiting] = posting.unposted(actors[Role.OFFICER], ref)
        assert "1 February 2027" in waiting.cannot_go
        assert _next_action(actors[Role.CRM], ref) == "Sign the appeal outcome letter"
        again = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                        LetterKind.APPEAL_OUTCOME, tmp_path / "again",
                                        PASSPHRASE)
        text = "\n".join(p for _, ps in record.loads(
            Letter.get_by_id(again.letter_id).content).sections for p in ps)
        assert "Until then, no restrictions apply" not in text
        assert ("The restrictions you appealed against stopped when we decided, on 28 November "
                "2026. The changed restrictions, set out below, started on 1 February 2027."
                in text)
        assert ("The restrictions stopped on 28 November 2026, and have applied again, as set "
                "out above, since 1 February 2027.") in " ".join(text.split())
        assert again.letter_id != letter_id
        left = {u.id: u.cannot_go for u in posting.unposted(actors[Role.OFFICER], ref)}
        # The first is superseded by the new one, no longer waiting (v15l W6).
        assert left == {again.letter_id: ""}
        # Written again, the outcome is no longer owed: nothing more to write.
        assert _next_action(actors[Role.CRM], ref) != "Sign the appeal outcome letter"
        assert LetterKind.APPEAL_OUTCOME not in offered.available(
            Case.get(Case.reference == ref), clock.today())


def test_opening_the_database_finds_it_whatever_was_stored_before(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """A database where the next action had moved on to the review (before this was known)
    says it again once opened."""
    ref, _ = _signed_not_posted(actors, tmp_path / "out")
    Case.update(next_action="Review due").where(Case.reference == ref).execute()
    with clock.travel_to(datetime(2027, 2, 2, 10)):
        next_step.refresh_letters_owed()
        assert Case.get(Case.reference == ref).next_action == "Sign the appeal outcome letter"
