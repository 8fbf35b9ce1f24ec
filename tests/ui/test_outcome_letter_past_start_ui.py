"""v15k S: an appeal outcome letter telling of restrictions that start on 1 February 2027,
signed and never posted. From that day it cannot go; the case's letters (W) offered "P Post
today", said "Nothing new to write now", and the customer was never told. Now P is not
offered and says why at once, and the outcome letter is there to write again."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from tests.demo_outcome_unposted import outcome_signed_not_posted
from tests.ui.outcome_letters import letters_from_the_case_file, p_refused

SIZE = (100, 30)


@pytest.fixture
def letter(db: Path, tmp_path: Path) -> int:
    """The outcome letter signed on the frozen day (outside the test's event loop: signing
    runs one of its own)."""
    return outcome_signed_not_posted(tmp_path / "out", db)


async def test_w_does_not_offer_to_post_a_letter_that_cannot_go_and_offers_it_again(
        db: Path, letter: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02T10:00:00")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        screen = await letters_from_the_case_file(app, pilot, "Sign the appeal outcome letter")
        assert LetterKind.APPEAL_OUTCOME in screen.kinds  # to write again
        await p_refused(app, pilot, screen, f"letter {letter} (appeal outcome) cannot go: it "
                        "gives a date already past, 1 February 2027")
