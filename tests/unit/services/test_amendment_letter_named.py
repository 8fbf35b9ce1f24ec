"""Issue 15 BA5: an outcome letter names the decision appealed against by its letter where
another decision of its day reads the same ("our letter of … telling you of …", v18 AT4, AV1).
That letter was looked for under "decision:N" alone; an amendment on appeal's letter is the
appeal's outcome letter, filed under "appeal:M", and was never found. It is found from
either. And an appeal upheld in part (amended restrictions) names the variation appealed
against by its letter posted.

On the demo's UPV-2025-0005 (restricted), through the services as the app does them; the
signed letter read as the customer reads it (the PDF's text)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from crm_tui.db.models import Appeal, Decision, Letter
from crm_tui.domain.lifecycle import Action
from crm_tui.letters.wording import day
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import letter_content, posting
from tests import builders
from tests.demo_outcome_unposted import outcome_signed_not_posted, varied_and_signed

CHANGE = "to change the restrictions on how you can contact the council"
SHORTER = DecisionTerms(starts_on=date(2027, 2, 1), ends_on=date(2027, 10, 1))


def _post(letter: int) -> None:
    posting.record_posting(resolve_actor("ceri.hughes"), [letter], builders.TODAY, "first")


def _read(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_an_amended_appeal_names_the_variation_by_its_letter(demo: Path,
                                                            tmp_path: Path) -> None:
    varied_and_signed(tmp_path, 0)  # another decision of the day, its letter never sent
    _post(varied_and_signed(tmp_path, 1))  # appealed against, its letter posted
    outcome = outcome_signed_not_posted(tmp_path / "outcome", terms=SHORTER)
    said = _read(tmp_path / "outcome" / Letter.get_by_id(outcome).file_name)
    assert "We have decided to change the restrictions." in said, said
    assert (f"You appealed against our decision of 28 November 2026 {CHANGE} (our letter of "
            "28 November 2026 telling you of the variation).") in said, said


def test_an_amendment_on_appeal_is_named_by_its_outcome_letter(demo: Path,
                                                              tmp_path: Path) -> None:
    """The amendment's letter is the outcome letter of the appeal it decided (appeal:M),
    posted: with a variation recorded the same day, it is named by that letter."""
    outcome = outcome_signed_not_posted(tmp_path / "outcome", terms=SHORTER)
    _post(outcome)
    # A variation of the same day, in the same words (lighter: from 4 March to 1 October).
    varied_and_signed(tmp_path, 31, starts=SHORTER.starts_on)
    amendment = Decision.get(Decision.action == Action.AMEND_ON_APPEAL.value,
                             Decision.id > Appeal.select().order_by(Appeal.id.desc())
                             .first().decision_id)
    assert Letter.get_by_id(outcome).source.startswith("appeal:")
    which = letter_content._which(amendment, [])
    assert which.letter_on == date(2026, 11, 28), which
    assert which.opening() == (f" (our letter of {day(date(2026, 11, 28))} telling you of "
                               "the result of your earlier appeal)"), which.opening()
