"""Lifting restrictions decided to start on a later day, before that day (v15k T1, T2): the
letter lifting them is owed just as for restrictions in force — to sign, then to post, before
the file is archived — even when the lift is recorded the same moment as the appeal that
amended them; and it tells the customer that the restrictions due to start will not, not that
restrictions which never applied "end today". Restrictions in force still read as before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import checker, record
from crm_tui.services.intake import case_file, queries
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import review_session
from tests import builders, outside
from tests.builders import TODAY
from tests.conftest import PASSPHRASE

LATER = date(2027, 6, 18)


def _amended_to_start_later(actors: dict[Role, Actor]) -> str:
    ref = builders.appeal_amended(actors, LATER)
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME,
                                     builders.database_folder() / "issued", PASSPHRASE)
    posting.record_posting(actors[Role.OFFICER], [signed.letter_id], TODAY, "first")
    return ref


WHY = "You have not contacted us unreasonably."
# Lifted from the case file (`L`), or at a review (a review session's `d`, `s`, lift): the
# same service, and the same letter owed.
LIFTS = {"case file": lambda crm, ref: decisions.lift_restrictions(
             crm, ref, "No longer needed", customer_reason=WHY),
         "review session": lambda crm, ref: review_session.lift(
             crm, ref, "No longer needed", False, customer_reason=WHY)}


def _lifted(actors: dict[Role, Actor], ref: str, how: str = "case file") -> None:
    LIFTS[how](actors[Role.CRM], ref)


def _letter_text(actors: dict[Role, Actor], ref: str) -> tuple[str, object]:
    letter_id = builders.sign_lifted(actors[Role.CRM], ref)
    letter = record.loads(Letter.get_by_id(letter_id).content)
    return "\n".join(p for _, ps in letter.sections for p in ps), letter


@pytest.mark.parametrize("how", list(LIFTS))
def test_lifting_before_the_start_owes_the_letter_as_in_force_does(
        actors: dict[Role, Actor], how: str) -> None:
    crm = actors[Role.CRM]
    ref = _amended_to_start_later(actors)
    _lifted(actors, ref, how)  # the same moment as the appeal (a frozen clock, as the tester's)
    summary = case_file.case_file(crm, ref).summary
    assert summary.next_action == "Sign the letter lifting the restrictions", summary
    assert ref in [c.reference for c in queries.list_cases(crm, letters_owed=True)]
    letter_id = builders.sign_lifted(crm, ref)
    assert case_file.case_file(crm, ref).summary.next_action \
        == "Post the letter lifting the restrictions"
    posting.record_posting(actors[Role.OFFICER], [letter_id], TODAY, "first")
    assert case_file.case_file(crm, ref).summary.next_action.startswith("Archive")


@pytest.mark.parametrize("how", list(LIFTS))
def test_the_letter_says_the_restrictions_due_to_start_will_not(
        actors: dict[Role, Actor], how: str) -> None:
    ref = _amended_to_start_later(actors)
    _lifted(actors, ref, how)
    text, letter = _letter_text(actors, ref)
    assert "end today" not in text and "ended on" not in text, text
    assert ("We have decided to lift the restrictions that were to take effect on 18 June "
            "2027. They will not take effect, and no restrictions apply to you.") in text, text
    assert "You can contact the council in the usual ways." in text
    assert checker.past_dates(letter) == []  # type: ignore[arg-type]


def test_restrictions_in_force_still_end_today(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    _lifted(actors, ref)
    assert case_file.case_file(crm, ref).summary.next_action \
        == "Sign the letter lifting the restrictions"
    text, _ = _letter_text(actors, ref)
    assert ("We have decided to lift the restrictions. They end today, 28 November 2026. You "
            "can now contact the council in the usual ways.") in text, text
    assert "take effect" not in text


def test_cases_letters_owed_names_it(actors: dict[Role, Actor],
                                      acting_as: Callable[[str], None],
                                      db_path: Path) -> None:
    ref = _amended_to_start_later(actors)
    _lifted(actors, ref)
    acting_as("crm")
    result = CliRunner().invoke(main, ["cases", "--letters-owed", "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert ref in result.output and "Sign the letter lifting the restrictions" in result.output, \
        result.output
