"""An appeal that amends the restrictions to ones starting on a later day (v15j O1, O2): the
ones appealed against stopped when it was decided (fixK), so the outcome letter says when the
changed ones start and that none apply until then — not "The restrictions now" with only
their end — and, signed, it is the next thing to do until it is posted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.letters import checker, record
from crm_tui.services.intake import case_file
from crm_tui.services.letters import issuing, posting
from tests import builders
from tests.builders import TODAY
from tests.conftest import PASSPHRASE

LATER = date(2027, 6, 18)


def _amended_to_start_later(actors: dict[Role, Actor]) -> str:
    return builders.appeal_amended(actors, LATER)


def test_the_outcome_letter_says_the_changed_restrictions_start_later_and_none_apply_until(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _amended_to_start_later(actors)
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME, tmp_path / "out", PASSPHRASE)
    letter = record.loads(Letter.get_by_id(signed.letter_id).content)
    headings = [heading for heading, _ in letter.sections]
    text = "\n".join(p for _, ps in letter.sections for p in ps)
    assert "The restrictions now" not in headings
    assert "The restrictions from 18 June 2027" in headings
    assert ("The changed restrictions, set out below, start on 18 June 2027. Until then, no "
            "restrictions apply, and you can contact the council in the usual ways.") in text
    assert "They start on 18 June 2027 and end on 1 November 2027." in text
    assert "The restrictions that now apply" not in text
    assert checker.past_dates(letter) == []


def test_signed_the_outcome_letter_is_to_post_until_posted(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = _amended_to_start_later(actors)
    assert case_file.case_file(crm, ref).summary.next_action == "Sign the appeal outcome letter"
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME, tmp_path / "out", PASSPHRASE)
    assert case_file.case_file(crm, ref).summary.next_action == "Post the appeal outcome letter"
    posting.record_posting(actors[Role.OFFICER], [signed.letter_id], TODAY, "first")
    assert case_file.case_file(crm, ref).summary.next_action == "Review due"
