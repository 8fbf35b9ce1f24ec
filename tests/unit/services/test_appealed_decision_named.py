"""v18 AT4 (issue 15): an appeal outcome letter said "We have decided not to change our
decision of 30 November 2026" while its *Our earlier decisions* told two decisions of that day,
and a third decision of that day had been posted: which one was kept? The decision appealed
against is named apart from the others of its day: as the last of those told above (its letter
never sent), or by its letter's date (posted). One decision that day: its day alone, as before.

On the demo's UPV-2025-0005 (restricted), through the services as the app does them; the
signed letter read as the customer reads it (the PDF's text)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, posting
from crm_tui.services.reviews import appeals
from tests import builders
from tests.demo_outcome_unposted import APPEALED, varied_and_signed

CHANGE = "to change the restrictions on how you can contact the council"


def _confirmed_and_signed(out: Path) -> str:
    """The appeal against the latest decision lodged and confirmed, its outcome letter
    signed: the letter's words as the customer reads them."""
    appeals.lodge_appeal(resolve_actor("tomasz.nowak"), APPEALED, builders.TODAY, "Unfair")
    director = resolve_actor("gareth.bell")
    with confirmation.given(DEMO_PASSPHRASE):
        appeals.decide_appeal(director, APPEALED, AppealOutcome.CONFIRMED, "Fair as it is",
                              customer_reason="We think the restrictions are fair to you.")
    signed = issuing.sign_and_export(director, APPEALED, LetterKind.APPEAL_OUTCOME, out,
                                     DEMO_PASSPHRASE)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(signed.path).pages)
                    .split())


def _post(letter: int) -> None:
    posting.record_posting(resolve_actor("ceri.hughes"), [letter], builders.TODAY, "first")


def test_the_decision_kept_is_the_last_of_those_told(demo: Path, tmp_path: Path) -> None:
    _post(varied_and_signed(tmp_path, 0))  # a third decision of the day, posted
    varied_and_signed(tmp_path, 1)
    varied_and_signed(tmp_path, 2)  # appealed against: neither letter sent
    said = _confirmed_and_signed(tmp_path / "outcome")
    assert "Our earlier decisions" in said, said
    assert said.count("On 28 November 2026 we decided") == 2, said
    assert (f"You appealed against our decision of 28 November 2026 {CHANGE}, the last of the "
            "earlier decisions told below.") in said, said
    assert (f"We have decided not to change our decision of 28 November 2026 {CHANGE}, the "
            "last of the decisions told above.") in said, said
    assert "not to change our decision of 28 November 2026." not in said, said


def test_the_decision_appealed_is_named_by_its_letter_posted(
        demo: Path, tmp_path: Path) -> None:
    varied_and_signed(tmp_path, 0)  # another decision of the day, its letter never sent
    _post(varied_and_signed(tmp_path, 1))  # appealed against, its letter posted
    said = _confirmed_and_signed(tmp_path / "outcome")
    assert (f"You appealed against our decision of 28 November 2026 {CHANGE} (our letter of "
            "28 November 2026 telling you of the variation).") in said, said


def test_two_letters_of_a_kind_posted_that_day_the_one_is_named_by_what_it_set(
        demo: Path, tmp_path: Path) -> None:
    """AV1: two variation letters bearing 28 November 2026 posted: "(our letter of 28
    November 2026)" named neither; the one meant is named by its kind and what it set."""
    _post(varied_and_signed(tmp_path, 0))  # another decision of the day, its letter posted
    _post(varied_and_signed(tmp_path, 1))  # appealed against, its letter posted too
    said = _confirmed_and_signed(tmp_path / "outcome")
    assert (f"You appealed against our decision of 28 November 2026 {CHANGE} (our letter of "
            "28 November 2026 telling you of the variation, which set restrictions on telephone "
            "and electronic contact, to apply between 29 November 2026 and 31 October 2027).") \
        in said, said


def test_the_only_decision_of_its_day_is_named_by_its_day(demo: Path, tmp_path: Path) -> None:
    _post(varied_and_signed(tmp_path, 0))
    said = _confirmed_and_signed(tmp_path / "outcome")
    assert f"You appealed against our decision of 28 November 2026 {CHANGE}. " in said, said
    assert "told below" not in said and "(our letter of" not in said, said
