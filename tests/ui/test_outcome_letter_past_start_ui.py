"""v15k S: an appeal outcome letter telling of restrictions that start on 1 February 2027,
signed and never posted. From that day it cannot go; the case's letters (W) offered "P Post
today", said "Nothing new to write now", and the customer was never told. Now P is not
offered and says why at once, and the outcome letter is there to write again."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.domain.letters import LetterKind
from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from crm_tui.ui.screens.case_letters import CaseLettersScreen
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted
from tests.ui.keys import on_top, press_settled, settle, shown_keys

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
        await settle(pilot)
        case_file = await on_top(pilot, CaseFileScreen(APPEALED))
        assert case_file.data is not None
        assert case_file.data.summary.next_action == "Sign the appeal outcome letter"
        await press_settled(pilot, "W")
        screen = app.screen
        assert isinstance(screen, CaseLettersScreen)
        assert LetterKind.APPEAL_OUTCOME in screen.kinds  # to write again
        assert "P" not in shown_keys(app)
        await press_settled(pilot, "P")
        assert app.screen is screen
        said = [n.message for n in app._notifications]
        assert any(f"letter {letter} (appeal outcome) cannot go: it gives a date already "
                   "past, 1 February 2027" in m for m in said), said
